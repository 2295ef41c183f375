/**
 * The forward-only status rule, the one place it is written. `failed` ranks just above `sent`: a send
 * WhatsApp rejected or that ran out of attempts is failed, but a later delivered/read proves it arrived.
 * Adapters store the rank beside the status so a conditional write can compare numbers.
 */
export const MESSAGE_STATUSES = ['queued', 'sent', 'failed', 'delivered', 'read', 'played'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

const RANK: Record<MessageStatus, number> = { queued: 0, sent: 1, failed: 2, delivered: 3, read: 4, played: 5 };

export function statusRank(status: MessageStatus): number {
  return RANK[status];
}

export function movesForward(current: MessageStatus, next: MessageStatus): boolean {
  return RANK[next] > RANK[current];
}

/**
 * The statuses that prove WhatsApp has the message (its server ack or a later receipt): a send in one of
 * them never ends `failed` and is never retried.
 */
export const ACKNOWLEDGED_STATUSES = ['sent', 'delivered', 'read', 'played'] as const satisfies readonly MessageStatus[];

export function isAcknowledged(status: MessageStatus): boolean {
  return (ACKNOWLEDGED_STATUSES as readonly MessageStatus[]).includes(status);
}

/** The time field each status reached is recorded in (`queued` is `createdAt`). */
export const STATUS_TIME_FIELD = {
  sent: 'sentAt',
  failed: 'failedAt',
  delivered: 'deliveredAt',
  read: 'readAt',
  played: 'playedAt',
} as const satisfies Record<Exclude<MessageStatus, 'queued'>, string>;

export type StatusTimes = Partial<Record<(typeof STATUS_TIME_FIELD)[keyof typeof STATUS_TIME_FIELD], number>>;

/** `advanced`: the status moved forward; `unchanged`: it was already there or beyond; `unknown`: no such message. */
export type StatusOutcome = 'advanced' | 'unchanged' | 'unknown';
