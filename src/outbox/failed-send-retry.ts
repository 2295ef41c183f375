import { OutboxItem, OutboxStatus } from './outbox-item';

/**
 * An operator's retry of a failed send: the same item, WhatsApp id and message, `queued` again with its
 * attempts reset and its failure cleared; only a `failed` item is retried (one still open would be sent
 * twice, one `sent` was delivered).
 */
export type RetryOutcome =
  | { kind: 'queued'; item: OutboxItem }
  | { kind: 'notFound' }
  | { kind: 'notFailed'; status: OutboxStatus };

/** The outbox statuses an operator counts per account: the waiting ones and the failures to look at. */
export const WATCHED_OUTBOX_STATUSES = ['queued', 'processing', 'failed'] as const;
export type WatchedOutboxStatus = (typeof WATCHED_OUTBOX_STATUSES)[number];
