import { Injectable } from '@nestjs/common';
import { Statement } from 'better-sqlite3';
import { SqliteStore } from '../../store/sqlite/sqlite-store';
import { ContactAliasRepository } from '../contact-alias.repository';

@Injectable()
export class SqliteContactAliasRepository extends ContactAliasRepository {
  private readonly statements: Record<'remember' | 'pnOf' | 'lidOf', Statement>;

  constructor(store: SqliteStore) {
    super();
    // Prepared once: `lidOf` runs on every send.
    this.statements = {
      remember: store.db.prepare('INSERT INTO contact_aliases (account_id, lid, pn, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING'),
      pnOf: store.db.prepare('SELECT pn FROM contact_aliases WHERE account_id = ? AND lid = ?'),
      lidOf: store.db.prepare('SELECT lid FROM contact_aliases WHERE account_id = ? AND pn = ?'),
    };
  }

  async remember(accountId: string, lid: string, pn: string, now: number): Promise<void> {
    this.statements.remember.run(accountId, lid, pn, now);
  }

  async pnOf(accountId: string, lid: string): Promise<string | undefined> {
    return (this.statements.pnOf.get(accountId, lid) as { pn: string } | undefined)?.pn;
  }

  async lidOf(accountId: string, pn: string): Promise<string | undefined> {
    return (this.statements.lidOf.get(accountId, pn) as { lid: string } | undefined)?.lid;
  }
}
