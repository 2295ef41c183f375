import { FailureReason } from '../messaging/failure-reason';
import { SendAnswer, SentMedia } from '../messaging/send-acceptance';

export const OUTBOX_STATUSES = ['queued', 'processing', 'sent', 'failed'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];
export const OPEN_OUTBOX_STATUSES = ['queued', 'processing'] as const;
export type OpenOutboxStatus = (typeof OPEN_OUTBOX_STATUSES)[number];

/**
 * An ended item is kept this long, so a client retrying its request within that time still gets the
 * first answer (CONTRACT: "at least 7 days after it ends"); after it, the key is free again.
 */
export const OUTBOX_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;

/** `outbox/{accountId}__{requestId}`. Times are epoch milliseconds. */
export interface OutboxItem {
  id: string;
  accountId: string;
  requestId: string;
  threadId: string;
  messageId: string;
  /** Path of the message doc: `threads/{threadId}/messages/{messageId}`. */
  messageRef: string;
  /** Generated before the first attempt; every attempt reuses it, so a resend is the same message. */
  waMessageId: string;
  toJid: string;
  /** A media item's is empty: what it sends is `media`, the caption with it. */
  text: string;
  /** A media send: the stored file it sends (by its sha256), the same bytes every attempt. */
  media?: SentMedia;
  /**
   * The phone the account was linked to when the send was accepted, null if it never was: the item
   * never leaves from another phone (it ends `failed`, `accountRelinked`); a null one goes from the first.
   */
  boundPhone: string | null;
  /** Per-thread send order, given at accept (clocks of several machines disagree). */
  seq: number;
  status: OutboxStatus;
  /** `{WORKER_ID}/{incarnation}` of the claimant. */
  claimedBy: string | null;
  /** The account's owner epoch the claim was made under. */
  claimEpoch: number | null;
  leaseUntil: number | null;
  attempts: number;
  nextAttemptAt: number;
  /** The last failure in words, as the provider or the processor put it. */
  lastError: string | null;
  /** Set when the item ended `failed`: why, in the contract's vocabulary. */
  failureReason: FailureReason | null;
  /** Hash of the normalised request (recipient JID and text, or the file's hash), for idempotency. */
  requestHash: string;
  answer: SendAnswer;
  createdAt: number;
  updatedAt: number;
  /** When it reached `sent` or `failed`; kept 7 days at least after that. */
  endedAt: number | null;
}

export type AcceptOutcome =
  | { kind: 'accepted'; item: OutboxItem }
  /** The key was used before on this account: the first item, whatever its request was. */
  | { kind: 'existing'; item: OutboxItem };
