import { FailureReason } from '../messaging/failure-reason';
import { statusRank } from '../receipts/message-status';
import { SqliteStore } from '../store/sqlite/sqlite-store';

/**
 * Ends every open item of the account as `failed` with the reason, with its message. Runs inside the
 * caller's transaction (the outbox's own failWaiting, or an account's fenced ending); returns how many ended.
 */
export function failWaitingRows(store: SqliteStore, accountId: string, reason: FailureReason, now: number): number {
  const params = { accountId, reason, now, rank: statusRank('failed') };
  store
    .statement(
      `UPDATE messages SET status = 'failed', status_rank = @rank, failed_at = @now, error = NULL, failure_reason = @reason, updated_at = @now
       WHERE status_rank < @rank AND (thread_id, message_id) IN (
         SELECT thread_id, message_id FROM outbox WHERE account_id = @accountId AND status IN ('queued', 'processing'))`,
    )
    .run(params);
  return store
    .statement(
      `UPDATE outbox SET status = 'failed', last_error = NULL, failure_reason = @reason, ended_at = @now, updated_at = @now, lease_until = NULL
       WHERE account_id = @accountId AND status IN ('queued', 'processing')`,
    )
    .run(params).changes;
}
