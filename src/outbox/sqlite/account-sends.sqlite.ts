import { AccountSends, AccountSendsInWrite } from '../../accounts/account-sends';
import { Holding } from '../../accounts/account.repository';
import { FailureReason } from '../../messaging/failure-reason';
import { ACKNOWLEDGED_STATUSES, statusRank } from '../../messaging/message-status';
import { SqliteStore } from '../../store/sqlite/sqlite-store';
import { appendEvent } from '../../events/sqlite/event-append.sqlite';
import { messageEvent } from '../../messaging/message-events';
import { MessageRow, toMessage } from '../../messaging/sqlite/message-rows.sqlite';

const OPEN = `account_id = @accountId AND status IN ('queued', 'processing')`;

/** In order: items a receipt already acknowledged end `sent`; the other items' messages, then those items, `failed`. */
const FAIL_WAITING = [
  `UPDATE outbox SET status = 'sent', ended_at = @now, updated_at = @now, lease_until = NULL, last_error = NULL
   WHERE ${OPEN} AND EXISTS (
     SELECT 1 FROM messages m WHERE m.thread_id = outbox.thread_id AND m.message_id = outbox.message_id
       AND m.status IN (${ACKNOWLEDGED_STATUSES.map((status) => `'${status}'`).join(', ')}))`,
  `UPDATE messages SET status = 'failed', status_rank = @failedRank, failed_at = @now, error = NULL, failure_reason = @reason, updated_at = @now
   WHERE status_rank < @sentRank AND (thread_id, message_id) IN (SELECT thread_id, message_id FROM outbox WHERE ${OPEN})
   RETURNING *`,
  `UPDATE outbox SET status = 'failed', last_error = NULL, failure_reason = @reason, ended_at = @now, updated_at = @now, lease_until = NULL
   WHERE ${OPEN}`,
];

/**
 * An account's items by their primary key (`{accountId}__{requestId}`); account_id keeps out an account
 * whose id extends this one.
 */
const REMOVE_SOME = `DELETE FROM outbox WHERE id IN (
  SELECT id FROM outbox WHERE id >= @idFrom AND id < @idTo AND account_id = @accountId LIMIT @limit)`;

export class SqliteAccountSends extends AccountSends implements AccountSendsInWrite {
  constructor(private readonly store: SqliteStore) {
    super();
  }

  /** One transaction; with a fence, the holding is read in it, so nothing ends once it is not current. */
  failWaiting(accountId: string, reason: FailureReason, now: number, fence?: Holding): Promise<number | null> {
    return this.store.writes.run(() => {
      if (fence && !this.store.statement('SELECT 1 FROM accounts WHERE account_id = @accountId AND owner = @owner AND owner_epoch = @ownerEpoch').get(fence)) return null;
      return this.failWaitingInWrite(accountId, reason, now);
    });
  }

  removeSome(accountId: string, limit: number): Promise<number> {
    return this.store.writes.run(() => this.removeSomeInWrite(accountId, limit));
  }

  failWaitingInWrite(accountId: string, reason: FailureReason, now: number): number {
    const params = { accountId, reason, now, sentRank: statusRank('sent'), failedRank: statusRank('failed') };
    const [acknowledged, messages, items] = FAIL_WAITING;
    this.store.statement(acknowledged).run(params);
    for (const failed of this.store.statement(messages).all(params) as MessageRow[]) {
      appendEvent(this.store, messageEvent('message.failed', toMessage(failed), now));
    }
    return this.store.statement(items).run(params).changes;
  }

  removeSomeInWrite(accountId: string, limit: number): number {
    // '`' follows '_': the range holds exactly the ids that start with `{accountId}__`.
    return this.store.statement(REMOVE_SOME).run({ accountId, limit, idFrom: `${accountId}__`, idTo: `${accountId}_\`` }).changes;
  }
}
