import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { failureOf } from '../../../src/messaging/failure-reason';
import { SqliteAccountRepository } from '../../../src/accounts/sqlite/account.repository.sqlite';
import { SqliteAcceptWrite } from '../../../src/outbox/sqlite/accept-write.sqlite';
import { SqliteOutboxRepository } from '../../../src/outbox/sqlite/outbox.repository.sqlite';
import { MIGRATIONS } from '../../../src/store/sqlite/migrations';
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store';
import { AcceptedSend } from '../../../src/messaging/send-acceptance';
import { acceptedSend } from '../../support/sends';
import { SqliteAccountSends } from '../../../src/outbox/sqlite/account-sends.sqlite';

const dir = mkdtempSync(join(tmpdir(), 'wa-schema-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Sends as an older release wrote them: today's accept on a store with every migration, then each row
 * copied into `old` with the columns its schema has (a column added since did not exist then).
 */
function writeOldSends(old: Database.Database, sends: AcceptedSend[]): void {
  const today = SqliteStore.open(':memory:');
  today.db.prepare("INSERT INTO accounts (account_id, status, created_at, updated_at) VALUES ('acc1', 'disconnected', 1, 1)").run();
  for (const send of sends) new SqliteAcceptWrite(today).apply(send);
  for (const table of ['threads', 'messages', 'message_lookup', 'outbox']) {
    const columns = (old.prepare(`PRAGMA table_info(${table})`).all() as Array<{ name: string }>).map((column) => column.name).join(', ');
    const insert = old.prepare(`INSERT OR REPLACE INTO ${table} (${columns}) VALUES (${columns.split(', ').map(() => '?').join(', ')})`);
    for (const row of today.db.prepare(`SELECT ${columns} FROM ${table}`).raw().all() as unknown[][]) insert.run(...row);
  }
  today.close();
}

const indexNames = (store: SqliteStore) =>
  (store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'outbox' ORDER BY name").all() as Array<{ name: string }>).map((row) => row.name);

describe('sqlite schema migrations', () => {
  it('upgrades a database made by the first migration alone at open: rows kept, outbox_by_wa_message gone, pairing columns added', async () => {
    const path = join(dir, 'v1.db');
    // The store as the first release left it: only migration 1 applied, its account row as that release
    // wrote it, its sends with the columns it had.
    const v1 = new Database(path);
    v1.pragma('journal_mode = WAL');
    v1.exec(MIGRATIONS[0]);
    v1.pragma('user_version = 1');
    v1.prepare("INSERT INTO accounts (account_id, status, created_at, updated_at) VALUES ('acc1', 'disconnected', 1, 1)").run();
    const old = new SqliteStore(v1);
    const sends = [acceptedSend({ accountId: 'acc1' }), acceptedSend({ accountId: 'acc1', clientJid: '40700000002@s.whatsapp.net' })];
    writeOldSends(v1, sends);
    expect(indexNames(old)).toContain('outbox_by_wa_message');
    old.close();

    const upgraded = SqliteStore.open(path);
    expect(upgraded.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(indexNames(upgraded)).not.toContain('outbox_by_wa_message');
    expect(upgraded.db.pragma('integrity_check', { simple: true })).toBe('ok');
    const count = (table: string) => (upgraded.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
    expect(['threads', 'messages', 'message_lookup', 'outbox'].map(count)).toEqual([2, 2, 2, 2]);
    const outbox = new SqliteOutboxRepository(upgraded);
    expect(await outbox.get('acc1', sends[0].requestId)).toMatchObject({ status: 'queued', waMessageId: sends[0].waMessageId });
    // The reader of the dropped index still finds its item on the upgraded file.
    expect(await outbox.failBySending('acc1', sends[1].waMessageId, failureOf('rejected'), Date.now())).toBe(true);
    const accounts = new SqliteAccountRepository(upgraded, new SqliteAccountSends(upgraded));
    expect(await accounts.get('acc1')).toMatchObject({ status: 'disconnected', pairingPhone: null, pairingCode: null });
    expect(await accounts.requestPairing('acc1', '40712345678', 5)).toBe(true);
    expect(await accounts.get('acc1')).toMatchObject({ pairingPhone: '40712345678', pairingRequestedAt: 5 });
    upgraded.close();

    // A second open (another process starting) applies nothing again.
    const again = SqliteStore.open(path);
    expect(again.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    const fresh = SqliteStore.open(':memory:');
    expect(indexNames(again)).toEqual(indexNames(fresh));
    fresh.close();
    again.close();
  });

  it('gives items and messages failed before reasons were kept the reason their words meant', async () => {
    const path = join(dir, 'reasons.db');
    const before = new Database(path);
    before.pragma('journal_mode = WAL');
    // The fourth migration gave failures their reasons.
    const reasonsMigration = 3;
    for (const migration of MIGRATIONS.slice(0, reasonsMigration)) before.exec(migration);
    before.pragma(`user_version = ${reasonsMigration}`);
    before.prepare("INSERT INTO accounts (account_id, status, created_at, updated_at) VALUES ('acc1', 'disconnected', 1, 1)").run();
    const words = ['account logged out', 'session reset', 'account deleted', 'gave up after 5 attempts: timeout', 'rejected by WhatsApp (code 463)', 'something else'];
    const sends = words.map((_, i) => acceptedSend({ accountId: 'acc1', clientJid: `4070000000${i}@s.whatsapp.net` }));
    const stillQueued = acceptedSend({ accountId: 'acc1', clientJid: '40700000009@s.whatsapp.net' });
    writeOldSends(before, [...sends, stillQueued]);
    const fail = before.prepare("UPDATE outbox SET status = 'failed', last_error = ? WHERE wa_message_id = ?");
    const failMessage = before.prepare("UPDATE messages SET status = 'failed', error = ? WHERE wa_message_id = ?");
    words.forEach((word, i) => (fail.run(word, sends[i].waMessageId), failMessage.run(word, sends[i].waMessageId)));
    before.close();

    const upgraded = SqliteStore.open(path);
    const reasonOf = (table: string, waMessageId: string) =>
      (upgraded.db.prepare(`SELECT failure_reason FROM ${table} WHERE wa_message_id = ?`).get(waMessageId) as { failure_reason: string | null }).failure_reason;
    const expected = ['loggedOut', 'accountReset', 'accountDeleted', 'maxAttempts', 'rejected', null];
    expect(sends.map((send) => reasonOf('outbox', send.waMessageId))).toEqual(expected);
    expect(sends.map((send) => reasonOf('messages', send.waMessageId))).toEqual(expected);
    expect(reasonOf('outbox', stillQueued.waMessageId)).toBeNull();
    upgraded.close();
  });

  it('counts operator requests made before as done, and binds the items still waiting to the phone linked now', async () => {
    const path = join(dir, 'requests.db');
    const before = new Database(path);
    before.pragma('journal_mode = WAL');
    const requestsMigration = MIGRATIONS.findIndex((migration) => migration.includes('ADD COLUMN reconnect_done_for'));
    for (const migration of MIGRATIONS.slice(0, requestsMigration)) before.exec(migration);
    before.pragma(`user_version = ${requestsMigration}`);
    before
      .prepare("INSERT INTO accounts (account_id, status, phone, reset_requested_at, reconnect_requested_at, created_at, updated_at) VALUES ('acc1', 'connected', '40711111111', 5, 6, 1, 1)")
      .run();
    const [waiting, sent] = [acceptedSend({ accountId: 'acc1' }), acceptedSend({ accountId: 'acc1', clientJid: '40700000002@s.whatsapp.net' })];
    writeOldSends(before, [waiting, sent]);
    before.prepare("UPDATE outbox SET status = 'sent' WHERE wa_message_id = ?").run(sent.waMessageId);
    before.close();

    const upgraded = SqliteStore.open(path);
    expect(await new SqliteAccountRepository(upgraded, new SqliteAccountSends(upgraded)).get('acc1')).toMatchObject({ resetRequestedAt: 5, resetDoneFor: 5, reconnectRequestedAt: 6, reconnectDoneFor: 6 });
    const outbox = new SqliteOutboxRepository(upgraded);
    expect((await outbox.get('acc1', waiting.requestId))!.boundPhone).toBe('40711111111');
    expect((await outbox.get('acc1', sent.requestId))!.boundPhone).toBeNull();
    upgraded.close();
  });
});
