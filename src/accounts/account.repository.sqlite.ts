import { Injectable } from '@nestjs/common';
import { AccountAlreadyExists } from '../common/errors';
import { Page, PageRequest, pageOf } from '../common/page';
import { SqliteStore } from '../store/sqlite/sqlite-store';
import { AccountRecord, AccountStatus } from './account';
import { AccountRepository } from './account.repository';

interface AccountRow {
  account_id: string;
  name: string | null;
  status: string;
  phone: string | null;
  owner: string | null;
  owner_epoch: number;
  lease_until: number | null;
  last_disconnect_reason: string | null;
  last_disconnect_at: number | null;
  connected_at: number | null;
  created_at: number;
  updated_at: number;
}

@Injectable()
export class SqliteAccountRepository extends AccountRepository {
  constructor(private readonly store: SqliteStore) {
    super();
  }

  async create(account: AccountRecord): Promise<void> {
    const inserted = this.store.db
      .prepare(
        `INSERT INTO accounts (account_id, name, status, phone, owner, owner_epoch, lease_until, last_disconnect_reason,
           last_disconnect_at, connected_at, created_at, updated_at)
         VALUES (@accountId, @name, @status, @phone, @owner, @ownerEpoch, @leaseUntil, @lastDisconnectReason,
           @lastDisconnectAt, @connectedAt, @createdAt, @updatedAt)
         ON CONFLICT (account_id) DO NOTHING`,
      )
      .run(account);
    if (inserted.changes === 0) throw new AccountAlreadyExists(account.accountId);
  }

  async get(accountId: string): Promise<AccountRecord | undefined> {
    const row = this.store.db.prepare('SELECT * FROM accounts WHERE account_id = ?').get(accountId) as AccountRow | undefined;
    return row && toAccount(row);
  }

  async list(page: PageRequest): Promise<Page<AccountRecord>> {
    const rows = this.store.db
      .prepare('SELECT * FROM accounts WHERE account_id > ? ORDER BY account_id LIMIT ?')
      .all(page.after?.id ?? '', page.limit + 1) as AccountRow[];
    return pageOf(rows.map(toAccount), page.limit, (a) => ({ key: 0, id: a.accountId }));
  }

  async delete(accountId: string): Promise<boolean> {
    return this.store.db.prepare('DELETE FROM accounts WHERE account_id = ?').run(accountId).changes > 0;
  }
}

function toAccount(row: AccountRow): AccountRecord {
  return {
    accountId: row.account_id,
    name: row.name,
    status: row.status as AccountStatus,
    phone: row.phone,
    owner: row.owner,
    ownerEpoch: row.owner_epoch,
    leaseUntil: row.lease_until,
    lastDisconnectReason: row.last_disconnect_reason,
    lastDisconnectAt: row.last_disconnect_at,
    connectedAt: row.connected_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
