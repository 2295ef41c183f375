import { Injectable } from '@nestjs/common';
import { SqliteStore } from '../../store/sqlite/sqlite-store';
import { Holding } from '../account.repository';
import { SessionFenced, SessionRepository } from '../session.repository';

/** SQLite caps bound parameters per statement; reads of many keys go in slices. */
const READ_SLICE = 500;

@Injectable()
export class SqliteSessionRepository extends SessionRepository {
  constructor(private readonly store: SqliteStore) {
    super();
  }

  async read(accountId: string, keys: string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    for (let i = 0; i < keys.length; i += READ_SLICE) {
      const slice = keys.slice(i, i + READ_SLICE);
      const rows = this.store
        .statement(`SELECT key, value FROM account_sessions WHERE account_id = ? AND key IN (${slice.map(() => '?').join(',')})`)
        .all(accountId, ...slice) as Array<{ key: string; value: string }>;
      for (const row of rows) found.set(row.key, row.value);
    }
    return found;
  }

  async write(holding: Holding, changes: Map<string, string | null>): Promise<void> {
    const db = this.store.db;
    const held = this.store.statement('SELECT 1 FROM accounts WHERE account_id = @accountId AND owner = @owner AND owner_epoch = @ownerEpoch');
    const upsert = this.store.statement(
      'INSERT INTO account_sessions (account_id, key, value) VALUES (?, ?, ?) ON CONFLICT (account_id, key) DO UPDATE SET value = excluded.value',
    );
    const remove = this.store.statement('DELETE FROM account_sessions WHERE account_id = ? AND key = ?');
    await this.store.writes.run(() => {
      if (!held.get(holding)) throw new SessionFenced(holding.accountId);
      for (const [key, value] of changes) {
        if (value === null) remove.run(holding.accountId, key);
        else upsert.run(holding.accountId, key, value);
      }
    });
  }

  async clear(accountId: string): Promise<void> {
    this.store.statement('DELETE FROM account_sessions WHERE account_id = ?').run(accountId);
  }
}
