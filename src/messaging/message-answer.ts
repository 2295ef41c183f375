import { MessageRecord } from './message';
import { statusRank } from './message-status';

/** What the `type` of a message stored before types were is read from (polls are not supported). */
const TYPE_OF_MEDIA: Record<string, string> = { poll: 'unsupported' };

export type MessageAnswer = Omit<MessageRecord, 'type' | 'createdAt' | 'updatedAt' | 'sentAt' | 'failedAt' | 'deliveredAt' | 'readAt' | 'playedAt'> & {
  type: string;
  statusRank: number;
  createdAt: string;
  updatedAt: string;
  sentAt?: string;
  failedAt?: string;
  deliveredAt?: string;
  readAt?: string;
  playedAt?: string;
};

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

/**
 * A message as `GET …/messages/:messageId` answers it, written once: the route and every message event's
 * snapshot (taken in the write that changed it) use it.
 */
export function messageAnswer(message: MessageRecord): MessageAnswer {
  const { createdAt, updatedAt, sentAt, failedAt, deliveredAt, readAt, playedAt, ...rest } = message;
  const times = { sentAt: iso(sentAt), failedAt: iso(failedAt), deliveredAt: iso(deliveredAt), readAt: iso(readAt), playedAt: iso(playedAt) };
  const answer: MessageAnswer = {
    ...rest,
    type: message.type ?? (message.mediaType ? (TYPE_OF_MEDIA[message.mediaType] ?? message.mediaType) : 'text'),
    statusRank: statusRank(message.status),
    createdAt: iso(createdAt)!,
    updatedAt: iso(updatedAt)!,
  };
  // Absent, not undefined: the snapshot is stored as JSON and must compare equal to the route's answer.
  for (const [field, time] of Object.entries(times)) if (time !== undefined) Object.assign(answer, { [field]: time });
  return answer;
}
