import { Injectable } from '@nestjs/common';
import { AccountAlreadyExists, AccountBeingPurged } from '../../common/errors';
import { Page, PageRequest, pageOf } from '../../common/page';
import { SqliteStore } from '../../store/sqlite/sqlite-store';
import { tally } from '../../common/tally';
import { ACCOUNT_STATUSES, AccountRecord, AccountStatus, ConnectionPatch } from '../account';
import { AccountRow, patchAssignments, toAccount } from './account-rows.sqlite';
import { AccountAction, AccountEnding, AccountRepository, Holding } from '../account.repository';
import { AccountSendsInWrite } from '../account-sends';
import { SqliteAccountChangeLog } from './account-change-log.sqlite';

const HELD = 'account_id = @accountId AND owner = @owner AND owner_epoch = @ownerEpoch';

@Injectable()
export class SqliteAccountRepository extends AccountRepository {
  private readonly changes: SqliteAccountChangeLog;

  constructor(
    private readonly store: SqliteStore,
    private readonly sends: AccountSendsInWrite,
  ) {
    super();
    this.changes = new SqliteAccountChangeLog(store);
  }

  async create(account: AccountRecord): Promise<void> {
    const inserted = this.store.transaction(() => {
      if (this.store.statement('SELECT 1 FROM account_purges WHERE account_id = ?').get(account.accountId)) throw new AccountBeingPurged(account.accountId);
      const row = this.store
        .statement(
          `INSERT INTO accounts (account_id, name, status, phone, owner, owner_epoch, lease_until, last_disconnect_reason,
             last_disconnect_at, connected_at, qr, qr_at, reconnect_requested_at, reset_requested_at,
             reconnect_done_for, reset_done_for, pairing_phone, pairing_requested_at, pairing_code, pairing_code_for, created_at, updated_at)
           VALUES (@accountId, @name, @status, @phone, @owner, @ownerEpoch, @leaseUntil, @lastDisconnectReason,
             @lastDisconnectAt, @connectedAt, @qr, @qrAt, @reconnectRequestedAt, @resetRequestedAt,
             @reconnectDoneFor, @resetDoneFor, @pairingPhone, @pairingRequestedAt, @pairingCode, @pairingCodeFor, @createdAt, @updatedAt)
           ON CONFLICT (account_id) DO NOTHING
           RETURNING *`,
        )
        .get(account) as AccountRow | undefined;
      if (row) this.changes.created(row);
      return row;
    });
    if (!inserted) throw new AccountAlreadyExists(account.accountId);
  }

  async countByStatus(): Promise<Record<AccountStatus, number>> {
    return tally(ACCOUNT_STATUSES, this.store.statement('SELECT status, COUNT(*) AS n FROM accounts GROUP BY status').all() as Array<{ status: string; n: number }>);
  }

  async get(accountId: string): Promise<AccountRecord | undefined> {
    const row = this.store.statement('SELECT * FROM accounts WHERE account_id = ?').get(accountId) as AccountRow | undefined;
    return row && toAccount(row);
  }

  async list(page: PageRequest): Promise<Page<AccountRecord>> {
    const rows = this.store
      .statement('SELECT * FROM accounts WHERE account_id > ? ORDER BY account_id LIMIT ?')
      .all(page.after?.id ?? '', page.limit + 1) as AccountRow[];
    return pageOf(rows.map(toAccount), page.limit, (a) => ({ key: 0, id: a.accountId }));
  }

  async delete(accountId: string, now: number): Promise<boolean> {
    return this.store.transaction(() => {
      this.store.statement('DELETE FROM account_sessions WHERE account_id = ?').run(accountId);
      const deleted = this.store.statement('DELETE FROM accounts WHERE account_id = ? RETURNING *').get(accountId) as AccountRow | undefined;
      if (!deleted) return false;
      this.changes.deleted(deleted, now);
      this.store.statement('INSERT INTO account_purges (account_id, deleted_at) VALUES (?, ?) ON CONFLICT (account_id) DO NOTHING').run(accountId, now);
      return true;
    });
  }

  async claimUnowned(owner: string, now: number, leaseMs: number, limit: number): Promise<AccountRecord[]> {
    if (limit <= 0) return [];
    const rows = this.store.transaction(() => {
      const claimable = this.store
        .statement(
          `SELECT * FROM accounts WHERE (owner IS NULL OR lease_until IS NULL OR lease_until <= @now) AND status != 'logged_out'
           ORDER BY account_id LIMIT @limit`,
        )
        .all({ now, limit }) as AccountRow[];
      return claimable.map((before) => {
        const taken = this.store
          .statement(
            // The new holder is only opening its socket: the old holder's status and QR are no longer true.
            `UPDATE accounts SET owner = @owner, owner_epoch = owner_epoch + 1, lease_until = @leaseUntil, updated_at = @now,
               status = 'connecting', qr = NULL, qr_at = NULL, reconnect_done_for = reconnect_requested_at
             WHERE account_id = @accountId
             RETURNING *`,
          )
          .get({ accountId: before.account_id, owner, now, leaseUntil: now + leaseMs }) as AccountRow;
        this.changes.changed(before, taken, now);
        return taken;
      });
    });
    return rows.map(toAccount);
  }

  async renew(holdings: Holding[], leaseUntil: number): Promise<AccountRecord[]> {
    const renew = this.store.statement(`UPDATE accounts SET lease_until = @leaseUntil WHERE ${HELD} RETURNING *`);
    const rows = this.store.transaction(() => holdings.map((h) => renew.get({ ...h, leaseUntil }) as AccountRow | undefined));
    return rows.filter((row): row is AccountRow => row !== undefined).map(toAccount);
  }

  async release(holding: Holding, patch?: ConnectionPatch): Promise<boolean> {
    const set = patch ? patchAssignments(patch) : { sql: '', params: {} };
    const assignments = ['owner = NULL', 'lease_until = NULL', ...(set.sql ? [set.sql] : [])].join(', ');
    return this.fenced(holding, patch, `UPDATE accounts SET ${assignments} WHERE ${HELD}`, { ...holding, ...set.params });
  }

  async recordConnection(holding: Holding, patch: ConnectionPatch): Promise<boolean> {
    const set = patchAssignments(patch);
    return this.fenced(holding, patch, `UPDATE accounts SET ${set.sql} WHERE ${HELD}`, { ...holding, ...set.params });
  }

  /** A write under the holding, with the events of what its patch changed (none without one), in one transaction. */
  private fenced(holding: Holding, patch: ConnectionPatch | undefined, sql: string, params: object): Promise<boolean> {
    const write = () => this.store.statement(sql).run(params).changes > 0;
    return this.store.writes.run(() => (patch ? this.changes.around(holding.accountId, patch.updatedAt, write) : write()));
  }

  async end(holding: Holding, ending: AccountEnding): Promise<boolean> {
    const set = patchAssignments(ending.patch);
    const assignments = [
      set.sql,
      ...(ending.release ? ['owner = NULL', 'lease_until = NULL'] : []),
      ...(ending.resetRequestedAt !== null ? ['reset_done_for = @resetDoneFor'] : []),
    ].join(', ');
    const params = { ...holding, ...set.params, ...(ending.resetRequestedAt !== null ? { resetDoneFor: ending.resetRequestedAt } : {}) };
    return this.store.writes.run(() => {
      const changed = this.changes.around(holding.accountId, ending.patch.updatedAt, () => this.store.statement(`UPDATE accounts SET ${assignments} WHERE ${HELD}`).run(params).changes > 0);
      if (!changed) return false;
      this.store.statement('DELETE FROM account_sessions WHERE account_id = ?').run(holding.accountId);
      this.sends.failWaitingInWrite(holding.accountId, ending.reason, ending.patch.updatedAt);
      return true;
    });
  }

  async completeRequest(holding: Holding, action: AccountAction, requestedAt: number): Promise<boolean> {
    const column = action === 'reconnect' ? 'reconnect_done_for' : 'reset_done_for';
    return this.store.statement(`UPDATE accounts SET ${column} = @requestedAt WHERE ${HELD}`).run({ ...holding, requestedAt }).changes > 0;
  }

  async requestAction(accountId: string, action: AccountAction, at: number): Promise<boolean> {
    const column = action === 'reconnect' ? 'reconnect_requested_at' : 'reset_requested_at';
    return this.store.statement(`UPDATE accounts SET ${column} = @at, updated_at = @at WHERE account_id = @accountId`).run({ accountId, at }).changes > 0;
  }

  async requestPairing(accountId: string, phoneNumber: string, at: number): Promise<boolean> {
    return (
      this.store
        .statement(
          `UPDATE accounts SET pairing_phone = @phoneNumber, pairing_requested_at = @at, pairing_code = NULL, pairing_code_for = NULL, updated_at = @at
           WHERE account_id = @accountId`,
        )
        .run({ accountId, phoneNumber, at }).changes > 0
    );
  }

  async markRelinkable(accountId: string, now: number): Promise<void> {
    await this.store.writes.run(() =>
      this.changes.around(accountId, now, () =>
        this.store.statement(`UPDATE accounts SET status = 'disconnected', updated_at = @now WHERE account_id = @accountId AND status = 'logged_out'`).run({ accountId, now }).changes > 0,
      ),
    );
  }
}
