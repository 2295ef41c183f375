import { Injectable } from '@nestjs/common';
import { SqliteStore } from '../../store/sqlite/sqlite-store';
import { AccountKey, Scope, withoutAccount } from '../account-key';
import { AccountKeyRepository } from '../account-key.repository';

interface AccountKeyRow {
  key_id: string;
  name: string;
  account_ids: string;
  scopes: string;
  hash: string;
  created_at: number;
}

@Injectable()
export class SqliteAccountKeyRepository extends AccountKeyRepository {
  constructor(private readonly store: SqliteStore) {
    super();
  }

  async create(key: AccountKey): Promise<void> {
    this.store
      .statement('INSERT INTO api_keys (key_id, name, account_ids, scopes, hash, created_at) VALUES (@key_id, @name, @account_ids, @scopes, @hash, @created_at)')
      .run(toRow(key));
  }

  async get(keyId: string): Promise<AccountKey | null> {
    const row = this.store.statement('SELECT * FROM api_keys WHERE key_id = ?').get(keyId) as AccountKeyRow | undefined;
    return row ? toKey(row) : null;
  }

  async list(): Promise<AccountKey[]> {
    return (this.store.statement('SELECT * FROM api_keys ORDER BY created_at, key_id').all() as AccountKeyRow[]).map(toKey);
  }

  async delete(keyId: string): Promise<boolean> {
    return this.store.statement('DELETE FROM api_keys WHERE key_id = ?').run(keyId).changes > 0;
  }

  async removeAccount(accountId: string): Promise<number> {
    return this.store.transaction(() => {
      const rows = this.store.statement('SELECT * FROM api_keys WHERE EXISTS (SELECT 1 FROM json_each(api_keys.account_ids) WHERE value = ?)').all(accountId) as AccountKeyRow[];
      for (const row of rows) {
        const left = withoutAccount(toKey(row), accountId);
        if (left) this.store.statement('UPDATE api_keys SET account_ids = ? WHERE key_id = ?').run(JSON.stringify(left.accountIds), row.key_id);
        else this.store.statement('DELETE FROM api_keys WHERE key_id = ?').run(row.key_id);
      }
      return rows.length;
    });
  }
}

function toRow(key: AccountKey): AccountKeyRow {
  return { key_id: key.keyId, name: key.name, account_ids: JSON.stringify(key.accountIds), scopes: JSON.stringify(key.scopes), hash: key.hash, created_at: key.createdAt };
}

function toKey(row: AccountKeyRow): AccountKey {
  return { keyId: row.key_id, name: row.name, accountIds: JSON.parse(row.account_ids) as string[], scopes: JSON.parse(row.scopes) as Scope[], hash: row.hash, createdAt: row.created_at };
}
