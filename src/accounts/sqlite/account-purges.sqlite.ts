import { Injectable } from '@nestjs/common';
import { SqliteStore } from '../../store/sqlite/sqlite-store';
import { AccountPurges } from '../account-purges';
import { AccountSendsInWrite } from '../account-sends';

/**
 * One bounded DELETE per kind of record, after the outbox's items, in this order: messages are found
 * through their threads, so threads go last. (Media and events, once they exist, are steps here too.)
 */
const STEPS = [
  `DELETE FROM message_lookup WHERE (account_id, direction, wa_message_id) IN (
     SELECT account_id, direction, wa_message_id FROM message_lookup WHERE account_id = @accountId LIMIT @limit)`,
  `DELETE FROM media_downloads WHERE id IN (SELECT id FROM media_downloads WHERE account_id = @accountId LIMIT @limit)`,
  `DELETE FROM contact_aliases WHERE (account_id, lid) IN (SELECT account_id, lid FROM contact_aliases WHERE account_id = @accountId LIMIT @limit)`,
  `DELETE FROM messages WHERE rowid IN (
     SELECT m.rowid FROM threads t JOIN messages m ON m.thread_id = t.thread_id WHERE t.account_id = @accountId LIMIT @limit)`,
  `DELETE FROM threads WHERE thread_id IN (SELECT thread_id FROM threads WHERE account_id = @accountId LIMIT @limit)`,
];

@Injectable()
export class SqliteAccountPurges extends AccountPurges {
  constructor(
    private readonly store: SqliteStore,
    private readonly sends: AccountSendsInWrite,
  ) {
    super();
  }

  async pending(limit: number): Promise<string[]> {
    const rows = this.store.statement('SELECT account_id FROM account_purges ORDER BY deleted_at LIMIT ?').all(limit) as Array<{ account_id: string }>;
    return rows.map((row) => row.account_id);
  }

  purgeSome(accountId: string, limit: number): Promise<number> {
    const params = { accountId, limit };
    return this.store.writes.run(() => {
      const sends = this.sends.removeSomeInWrite(accountId, limit);
      if (sends > 0) return sends;
      for (const step of STEPS) {
        const removed = this.store.statement(step).run(params).changes;
        if (removed > 0) return removed;
      }
      this.store.statement('DELETE FROM account_purges WHERE account_id = ?').run(accountId);
      return 0;
    });
  }
}
