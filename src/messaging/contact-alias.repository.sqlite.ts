import { Injectable } from '@nestjs/common';
import { SqliteStore } from '../store/sqlite/sqlite-store';
import { ContactAliasRepository } from './contact-alias.repository';

@Injectable()
export class SqliteContactAliasRepository extends ContactAliasRepository {
  constructor(private readonly store: SqliteStore) {
    super();
  }

  async remember(accountId: string, lid: string, pn: string, now: number): Promise<void> {
    this.store.db.prepare('INSERT INTO contact_aliases (account_id, lid, pn, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING').run(accountId, lid, pn, now);
  }

  async pnOf(accountId: string, lid: string): Promise<string | undefined> {
    const row = this.store.db.prepare('SELECT pn FROM contact_aliases WHERE account_id = ? AND lid = ?').get(accountId, lid) as { pn: string } | undefined;
    return row?.pn;
  }

  async lidOf(accountId: string, pn: string): Promise<string | undefined> {
    const row = this.store.db.prepare('SELECT lid FROM contact_aliases WHERE account_id = ? AND pn = ?').get(accountId, pn) as { lid: string } | undefined;
    return row?.lid;
  }
}
