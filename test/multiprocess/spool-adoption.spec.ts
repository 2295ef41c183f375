import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqlite } from '../../src/store/sqlite/sqlite-database';
import { parseExposition, valueOf } from '../medium/ops/support/prometheus';
import { eventually } from '../support/eventually';
import { ServerProcess, startServer } from '../support/server-process';

const KEY = 'spool-test-key-0123456789';

describe('the spool of a process killed before it could replay', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wa-spool-'));
  const env = { SQLITE_PATH: join(dir, 'whatsapp.db'), API_KEYS: KEY, WA_PROVIDER: 'simulator', SPOOL_RETRY_MS: '200', ACCOUNT_LEASE_MS: '3000' };
  const servers: ServerProcess[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop('SIGKILL')));
    rmSync(dir, { recursive: true, force: true });
  });

  const api = (server: ServerProcess, path: string, body?: unknown) =>
    fetch(`${server.url}${path}`, { method: body ? 'POST' : 'GET', body: body ? JSON.stringify(body) : undefined, headers: { 'x-api-key': KEY, 'content-type': 'application/json' } }).then((r) => r.json() as Promise<any>);
  const spool = async (server: ServerProcess) => {
    const samples = parseExposition(await (await fetch(`${server.url}/metrics`)).text());
    const outcome = (name: string) => valueOf(samples, 'whatsapp_spool_events_total', { outcome: name });
    return { spooled: outcome('spooled'), replayed: outcome('replayed'), lost: outcome('lost'), pending: valueOf(samples, 'whatsapp_spool_pending_events') };
  };

  it('is replayed by the next process at its start: every message stored once', async () => {
    const first = await startServer({ ...env, WORKER_ID: 'w1' });
    servers.push(first);
    await api(first, '/api/whatsapp/accounts', { accountId: 'acc1' });
    await eventually(() => api(first, '/api/whatsapp/accounts/acc1'), (account) => account.status === 'connected', 15_000);

    const db = openSqlite(env.SQLITE_PATH);
    db.exec(`CREATE TRIGGER refuse_messages BEFORE INSERT ON messages BEGIN SELECT RAISE(ABORT, 'injected: store refuses writes'); END`);
    for (const waMessageId of ['KEPT1', 'KEPT1', 'KEPT2']) {
      await api(first, '/api/whatsapp/simulator/accounts/acc1/inbound', { from: '40711111111', text: `body of ${waMessageId}`, waMessageId });
    }
    expect(await eventually(() => spool(first), (s) => s.spooled === 3)).toMatchObject({ spooled: 3, pending: 3, replayed: 0 });
    await first.stop('SIGKILL');
    db.exec('DROP TRIGGER refuse_messages');

    const second = await startServer({ ...env, WORKER_ID: 'w2' });
    servers.push(second);
    expect(await eventually(() => spool(second), (s) => s.pending === 0 && s.replayed === 3)).toEqual({ spooled: 0, replayed: 3, lost: 0, pending: 0 });
    const stored = db.prepare("SELECT wa_message_id AS id, text FROM messages WHERE account_id = 'acc1' ORDER BY wa_message_id").all();
    expect(stored).toEqual([{ id: 'KEPT1', text: 'body of KEPT1' }, { id: 'KEPT2', text: 'body of KEPT2' }]);
    // The dead process's spool is drained and gone; the second process never needed one of its own.
    expect(readdirSync(join(dir, 'spool'))).toEqual([]);
    db.close();
  }, 60_000);
});
