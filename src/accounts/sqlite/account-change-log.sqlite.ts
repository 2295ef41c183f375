import { appendEvent } from '../../events/sqlite/event-append.sqlite';
import { SqliteStore } from '../../store/sqlite/sqlite-store';
import { accountChanges, accountEvent } from '../account-events';
import { AccountRow, toAccount } from './account-rows.sqlite';

const READ = 'SELECT * FROM accounts WHERE account_id = ?';
const NEXT_VERSION = 'UPDATE accounts SET status_version = status_version + 1 WHERE account_id = ? RETURNING status_version';

/** The account events of a write, appended inside that write's transaction (account-events.ts says what is news). */
export class SqliteAccountChangeLog {
  constructor(private readonly store: SqliteStore) {}

  /** Runs `write` (true when it changed the account) and logs what it changed. */
  around(accountId: string, now: number, write: () => boolean): boolean {
    const before = this.read(accountId);
    if (!write() || !before) return false;
    this.changed(before, this.read(accountId)!, now);
    return true;
  }

  changed(before: AccountRow, after: AccountRow, now: number): void {
    const changes = accountChanges(toAccount(before), toAccount(after));
    if (changes.status) {
      const { status_version: version } = this.store.statement(NEXT_VERSION).get(after.account_id) as { status_version: number };
      appendEvent(this.store, accountEvent('account.status', toAccount(after), now, version));
    }
    if (changes.qr) appendEvent(this.store, accountEvent('account.qr', toAccount(after), now));
  }

  created(row: AccountRow): void {
    appendEvent(this.store, accountEvent('account.created', toAccount(row), row.created_at));
  }

  deleted(row: AccountRow, now: number): void {
    appendEvent(this.store, accountEvent('account.deleted', toAccount(row), now));
  }

  read(accountId: string): AccountRow | undefined {
    return this.store.statement(READ).get(accountId) as AccountRow | undefined;
  }
}
