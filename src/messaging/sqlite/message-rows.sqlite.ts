import { MessageStatus } from '../message-status';
import { Direction, MessageRecord, ThreadRecord } from '../message';

/** Row shapes of the sqlite tables that mirror `threads` and `threads/{id}/messages`. */
export interface MessageRow {
  thread_id: string;
  message_id: string;
  account_id: string;
  client_jid: string;
  direction: string;
  text: string | null;
  status: string;
  wa_message_id: string;
  request_id: string | null;
  seq: number | null;
  error: string | null;
  failure_reason: string | null;
  participant: string | null;
  media_type: string | null;
  type: string | null;
  /** JSON of MessageMedia / MessageContent. */
  media: string | null;
  content: string | null;
  status_uncertain: number | null;
  created_at: number;
  updated_at: number;
  sent_at: number | null;
  failed_at: number | null;
  delivered_at: number | null;
  read_at: number | null;
  played_at: number | null;
}

export interface ThreadRow {
  thread_id: string;
  account_id: string;
  client_jid: string;
  last_message_at: number;
  last_message_text: string | null;
  last_message_direction: string;
  created_at: number;
  updated_at: number;
}

export function toMessage(row: MessageRow): MessageRecord {
  const message: MessageRecord = {
    threadId: row.thread_id,
    messageId: row.message_id,
    accountId: row.account_id,
    clientJid: row.client_jid,
    direction: row.direction as Direction,
    text: row.text,
    status: row.status as MessageStatus,
    waMessageId: row.wa_message_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
  const optional = {
    requestId: row.request_id,
    seq: row.seq,
    error: row.error,
    failureReason: row.failure_reason,
    participant: row.participant,
    mediaType: row.media_type,
    type: row.type,
    media: row.media === null ? null : JSON.parse(row.media),
    content: row.content === null ? null : JSON.parse(row.content),
    statusUncertain: row.status_uncertain === null ? null : row.status_uncertain === 1,
    sentAt: row.sent_at,
    failedAt: row.failed_at,
    deliveredAt: row.delivered_at,
    readAt: row.read_at,
    playedAt: row.played_at,
  };
  for (const [key, value] of Object.entries(optional)) if (value !== null) Object.assign(message, { [key]: value });
  return message;
}

/** The JSON columns of a message row, as statements bind them. */
export function messageJsonColumns(message: Pick<MessageRecord, 'type' | 'media' | 'content'>) {
  return {
    type: message.type ?? null,
    media: message.media === undefined ? null : JSON.stringify(message.media),
    content: message.content === undefined ? null : JSON.stringify(message.content),
  };
}

export function toThread(row: ThreadRow): ThreadRecord {
  return {
    threadId: row.thread_id,
    accountId: row.account_id,
    clientJid: row.client_jid,
    lastMessageAt: row.last_message_at,
    lastMessageText: row.last_message_text,
    lastMessageDirection: row.last_message_direction as Direction,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
