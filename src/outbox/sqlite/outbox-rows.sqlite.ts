import { FailureReason } from '../../messaging/failure-reason';
import { SendAnswer, SentMedia } from '../../messaging/send-acceptance';
import { OutboxItem, OutboxStatus } from '../outbox-item';

export interface OutboxRow {
  id: string;
  account_id: string;
  request_id: string;
  thread_id: string;
  message_id: string;
  message_ref: string;
  wa_message_id: string;
  to_jid: string;
  text: string;
  /** JSON of SentMedia; null for text. */
  media: string | null;
  bound_phone: string | null;
  seq: number;
  status: string;
  claimed_by: string | null;
  claim_epoch: number | null;
  lease_until: number | null;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  failure_reason: string | null;
  request_hash: string;
  answer: string;
  created_at: number;
  updated_at: number;
  ended_at: number | null;
}

export function toOutboxItem(row: OutboxRow): OutboxItem {
  return {
    id: row.id,
    accountId: row.account_id,
    requestId: row.request_id,
    threadId: row.thread_id,
    messageId: row.message_id,
    messageRef: row.message_ref,
    waMessageId: row.wa_message_id,
    toJid: row.to_jid,
    text: row.text,
    ...(row.media === null ? {} : { media: JSON.parse(row.media) as SentMedia }),
    boundPhone: row.bound_phone,
    seq: row.seq,
    status: row.status as OutboxStatus,
    claimedBy: row.claimed_by,
    claimEpoch: row.claim_epoch,
    leaseUntil: row.lease_until,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error,
    failureReason: row.failure_reason as FailureReason | null,
    requestHash: row.request_hash,
    answer: JSON.parse(row.answer) as SendAnswer,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    endedAt: row.ended_at,
  };
}
