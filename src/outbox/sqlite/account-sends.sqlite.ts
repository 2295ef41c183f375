import { AccountSends, AccountSendsInWrite } from '../../accounts/account-sends';
import { FailureReason } from '../../messaging/failure-reason';
import { SqliteStore } from '../../store/sqlite/sqlite-store';
import { failWaitingRows } from './waiting-failure.sqlite';

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

  failWaiting(accountId: string, reason: FailureReason, now: number): Promise<number> {
    return this.store.writes.run(() => this.failWaitingInWrite(accountId, reason, now));
  }

  removeSome(accountId: string, limit: number): Promise<number> {
    return this.store.writes.run(() => this.removeSomeInWrite(accountId, limit));
  }

  failWaitingInWrite(accountId: string, reason: FailureReason, now: number): number {
    return failWaitingRows(this.store, accountId, reason, now);
  }

  removeSomeInWrite(accountId: string, limit: number): number {
    // '`' follows '_': the range holds exactly the ids that start with `{accountId}__`.
    return this.store.statement(REMOVE_SOME).run({ accountId, limit, idFrom: `${accountId}__`, idTo: `${accountId}_\`` }).changes;
  }
}
