import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteOutboxRepository } from '../../../src/outbox/sqlite/outbox.repository.sqlite';
import { SqliteAccountRepository } from '../../../src/accounts/sqlite/account.repository.sqlite';
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store';
import { acceptedSend, account } from '../../support/sends';
import { SqliteAccountSends } from '../../../src/outbox/sqlite/account-sends.sqlite';

const dir = mkdtempSync(join(tmpdir(), 'wa-durable-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

async function storeWithAccount() {
  const path = join(dir, `s${++n}.db`);
  const store = SqliteStore.open(path);
  await new SqliteAccountRepository(store, new SqliteAccountSends(store)).create(account('acc1'));
  return { path, store, outbox: new SqliteOutboxRepository(store) };
}

function rowCounts(store: SqliteStore) {
  const count = (table: string) => (store.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  return { threads: count('threads'), messages: count('messages'), lookup: count('message_lookup'), outbox: count('outbox') };
}

describe('the accept write on sqlite', () => {
  it('runs with synchronous=FULL and WAL on every connection it opens', async () => {
    const { path, store } = await storeWithAccount();
    const second = SqliteStore.open(path);
    for (const connection of [store, second]) {
      expect(connection.db.pragma('synchronous', { simple: true })).toBe(2);
      expect(connection.db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(connection.db.pragma('busy_timeout', { simple: true })).toBeGreaterThan(0);
    }
    second.close();
    store.close();
  });

  it('leaves nothing half-written when a failure strikes after the message and thread rows', async () => {
    const { store, outbox } = await storeWithAccount();
    // A real failure inside SQLite, on the last of the four inserts of one send.
    store.db.exec(`CREATE TEMP TRIGGER fail_outbox BEFORE INSERT ON main.outbox WHEN NEW.request_id = 'boom'
                   BEGIN SELECT RAISE(ABORT, 'injected failure'); END`);
    const good = acceptedSend({ accountId: 'acc1', requestId: 'good', clientJid: '40700000001@s.whatsapp.net' });
    const bad = acceptedSend({ accountId: 'acc1', requestId: 'boom', clientJid: '40700000002@s.whatsapp.net' });
    const results = await Promise.allSettled([outbox.accept(good), outbox.accept(bad)]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected']);
    expect(rowCounts(store)).toEqual({ threads: 1, messages: 1, lookup: 1, outbox: 1 });
    expect(store.db.prepare('SELECT COUNT(*) AS n FROM threads WHERE thread_id = ?').get(bad.threadId)).toEqual({ n: 0 });
    store.close();
  });

  it('leaves nothing half-written when the process is killed in the middle of the transaction', async () => {
    const { path, store } = await storeWithAccount();
    store.close();
    const child = spawnSync(process.execPath, [join(__dirname, '../../support/kill-mid-accept.js'), path], { encoding: 'utf8' });
    expect(child.signal, child.stderr).toBe('SIGKILL');
    const reopened = SqliteStore.open(path);
    expect(reopened.db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(rowCounts(reopened)).toEqual({ threads: 0, messages: 0, lookup: 0, outbox: 0 });
    // The same key is free: the crashed request was never accepted, so its retry is.
    const retry = await new SqliteOutboxRepository(reopened).accept(acceptedSend({ accountId: 'acc1', requestId: 'killed' }));
    expect(retry.kind).toBe('accepted');
    reopened.close();
  });
});
