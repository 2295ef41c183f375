import { FailureReason } from '../../messaging/failure-reason';
import { ACKNOWLEDGED_STATUSES, statusRank } from '../../messaging/message-status';
import { SqliteStore } from '../../store/sqlite/sqlite-store';

/**
 * Ends every open item of the account, with its message: `failed` with the reason, unless its message is
 * already acknowledged (a receipt proved WhatsApp has it before the item's own end landed), which ends
 * `sent` and keeps its status. Runs inside the caller's transaction (the outbox's own failWaiting, or an
 * account's fenced ending); returns how many ended failed.
 */
export function failWaitingRows(store: SqliteStore, accountId: string, reason: FailureReason, now: number): number {
  const params = { accountId, reason, now, sentRank: statusRank('sent'), failedRank: statusRank('failed') };
  store
    .statement(
      `UPDATE outbox SET status = 'sent', ended_at = @now, updated_at = @now, lease_until = NULL, last_error = NULL
       WHERE account_id = @accountId AND status IN ('queued', 'processing') AND EXISTS (
         SELECT 1 FROM messages m WHERE m.thread_id = outbox.thread_id AND m.message_id = outbox.message_id
           AND m.status IN (${ACKNOWLEDGED_STATUSES.map((status) => `'${status}'`).join(', ')}))`,
    )
    .run(params);
  store
    .statement(
      `UPDATE messages SET status = 'failed', status_rank = @failedRank, failed_at = @now, error = NULL, failure_reason = @reason, updated_at = @now
       WHERE status_rank < @sentRank AND (thread_id, message_id) IN (
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
