import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqlite } from '../../src/store/sqlite/sqlite-database';
import { eventually } from '../support/eventually';
import { ServerProcess, startServer } from '../support/server-process';

const KEY = 'pairing-test-key-0123456789';

describe('a pairing code asked through a process that does not hold the account (two processes, one sqlite file)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wa-pairing-'));
  const dbPath = join(dir, 'whatsapp.db');
  const env = { SQLITE_PATH: dbPath, API_KEYS: KEY, WA_PROVIDER: 'simulator', WA_SIMULATOR_REQUIRE_SCAN: 'true', ACCOUNT_LEASE_MS: '3000' };
  const servers: ServerProcess[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop('SIGKILL')));
    rmSync(dir, { recursive: true, force: true });
  });
  const call = async (server: ServerProcess, path: string, body?: unknown) => {
    const response = await fetch(`${server.url}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { 'x-api-key': KEY, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as any };
  };

  it("answers the holder's code, and the phone entering it links the account on the holder", async () => {
    servers.push(await startServer({ ...env, WORKER_ID: 'w1' }), await startServer({ ...env, WORKER_ID: 'w2' }));
    expect((await call(servers[0], '/api/whatsapp/accounts', { accountId: 'pair1' })).status).toBe(201);
    const waiting = await eventually(() => call(servers[0], '/api/whatsapp/accounts/pair1'), (r) => r.body.status === 'qr', 10_000);
    const [holder, other] = waiting.body.ownerWorkerId === 'w1' ? servers : [servers[1], servers[0]];

    const started = Date.now();
    const answer = await call(other, '/api/whatsapp/accounts/pair1/pairing-code', { phoneNumber: '+40712345678' });
    const tookMs = Date.now() - started;
    expect(answer.status).toBe(200);
    expect(answer.body.code).toMatch(/^[A-Z0-9]{8}$/);
    // The code is the one the holder's socket asked WhatsApp for: it is in the session the holder keeps.
    const db = openSqlite(dbPath);
    const creds = db.prepare("SELECT value FROM account_sessions WHERE account_id = 'pair1' AND key = 'creds'").get() as { value: string };
    expect(JSON.parse(creds.value)).toMatchObject({ pairingCode: answer.body.code, me: { id: '40712345678@s.whatsapp.net' } });
    console.log(`pairing code relayed through the store in ${tookMs} ms (renewals every 1 s)`);

    expect((await call(other, '/api/whatsapp/simulator/accounts/pair1/scan', {})).status).toBe(409);
    expect((await call(holder, '/api/whatsapp/simulator/accounts/pair1/scan', {})).status).toBe(202);
    const linked = await eventually(() => call(other, '/api/whatsapp/accounts/pair1'), (r) => r.body.status === 'connected', 10_000);
    expect(linked.body.status).toBe('connected');
    expect(db.prepare("SELECT pairing_code FROM accounts WHERE account_id = 'pair1'").get()).toEqual({ pairing_code: null });
    db.close();
  }, 60_000);
});
