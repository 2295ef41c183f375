import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';
import { ServerProcess, startServer } from '../support/server-process';

const KEY = 'multi-process-key-0123456789';

describe('two processes on one sqlite file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wa-mp-'));
  const env = { SQLITE_PATH: join(dir, 'whatsapp.db'), API_KEYS: KEY, WA_PROVIDER: 'simulator' };
  let servers: ServerProcess[] = [];

  beforeAll(async () => {
    servers = await Promise.all([startServer({ ...env, WORKER_ID: 'w1' }), startServer({ ...env, WORKER_ID: 'w2' })]);
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    rmSync(dir, { recursive: true, force: true });
  });

  const post = (server: ServerProcess, path: string, body: unknown) =>
    fetch(`${server.url}${path}`, { method: 'POST', headers: { 'x-api-key': KEY, 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('accepting the same key in both at once gives one message and one answer', async () => {
    expect((await post(servers[0], '/api/whatsapp/accounts', { accountId: 'acc1' })).status).toBe(201);
    const body = { accountId: 'acc1', to: '40712345678', message: 'once, from anywhere', requestId: 'mp-1' };
    const responses = await Promise.all(Array.from({ length: 20 }, (_, i) => post(servers[i % 2], '/api/whatsapp/send-message', body)));
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(202));
    const answers = await Promise.all(responses.map((r) => r.json()));
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);

    const store = SqliteStore.open(env.SQLITE_PATH);
    const count = (sql: string) => (store.db.prepare(sql).get() as { n: number }).n;
    expect(count("SELECT COUNT(*) AS n FROM messages WHERE text = 'once, from anywhere'")).toBe(1);
    expect(count("SELECT COUNT(*) AS n FROM outbox WHERE request_id = 'mp-1'")).toBe(1);
    store.close();
  });

  it('both answer for accounts and sends the other created', async () => {
    expect((await post(servers[1], '/api/whatsapp/accounts', { accountId: 'acc2' })).status).toBe(201);
    expect((await post(servers[0], '/api/whatsapp/accounts', { accountId: 'acc2' })).status).toBe(409);
    const sent = await post(servers[0], '/api/whatsapp/send-message', { accountId: 'acc2', to: '40712345678', message: 'x' });
    expect(sent.status).toBe(202);
  });
});
