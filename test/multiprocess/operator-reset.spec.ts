import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqlite } from '../../src/store/sqlite/sqlite-database';
import { eventually } from '../support/eventually';
import { ServerProcess, startServer } from '../support/server-process';

const KEY = 'operator-reset-key-0123456789';
const LEASE_MS = 3_000;

describe('an operator reset is performed exactly once by whichever process holds the account (two processes, one sqlite file)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wa-reset-'));
  const dbPath = join(dir, 'whatsapp.db');
  // Pacing keeps every send after an account's first waiting in the outbox, so a reset's effect on it shows.
  const env = { SQLITE_PATH: dbPath, API_KEYS: KEY, WA_PROVIDER: 'simulator', ACCOUNT_LEASE_MS: String(LEASE_MS), SEND_MIN_INTERVAL_MS: '600000' };
  const servers: ServerProcess[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop('SIGKILL')));
    rmSync(dir, { recursive: true, force: true });
  });
  const call = async (server: ServerProcess, method: string, path: string, body?: unknown) => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { 'x-api-key': KEY, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json().catch(() => undefined)) as any };
  };
  const account = (server: ServerProcess, id: string) => call(server, 'GET', `/api/whatsapp/accounts/${id}`).then((r) => r.body);
  const send = async (server: ServerProcess, accountId: string, message: string) => {
    const answer = (await call(server, 'POST', '/api/whatsapp/send-message', { accountId, to: '40712345678', message })).body;
    return `/api/whatsapp/threads/${encodeURIComponent(answer.threadId)}/messages/${answer.messageId}`;
  };
  const statusOf = (server: ServerProcess, url: string) => call(server, 'GET', url).then((r) => r.body);
  const requests = (id: string) => {
    const db = openSqlite(dbPath);
    try {
      return db.prepare('SELECT reset_requested_at AS asked, reset_done_for AS done FROM accounts WHERE account_id = ?').get(id) as { asked: number; done: number };
    } finally {
      db.close();
    }
  };
  /** A connected account whose next sends wait: its first went at once, and pacing holds the rest. */
  const pacedAccount = async (server: ServerProcess, id: string) => {
    expect((await call(server, 'POST', '/api/whatsapp/accounts', { accountId: id })).status).toBe(201);
    await eventually(() => account(server, id), (a) => a.status === 'connected', 10_000);
    const first = await send(server, id, 'first, sent at once');
    await eventually(() => statusOf(server, first), (m) => m.status === 'sent', 10_000);
  };
  /** Once the reset is done: what is accepted after it waits, and is still waiting two renewals later (no second reset). */
  const expectPerformedOnce = async (server: ServerProcess, id: string, waitingBefore: string) => {
    expect(await statusOf(server, waitingBefore)).toMatchObject({ status: 'failed', failureReason: 'accountReset' });
    const linked = await eventually(() => account(server, id), (a) => a.status === 'connected', 10_000);
    const { asked, done } = requests(id);
    expect(done).toBe(asked);
    const after = [await send(server, id, 'after the reset, 1'), await send(server, id, 'after the reset, 2')];
    await new Promise((resolve) => setTimeout(resolve, LEASE_MS));
    const statuses = await Promise.all(after.map((url) => statusOf(server, url).then((m) => m.status)));
    expect(statuses).not.toContain('failed');
    expect(await account(server, id)).toMatchObject({ status: 'connected', lastDisconnectAt: linked.lastDisconnectAt, ownerWorkerId: linked.ownerWorkerId });
  };

  it('asked through the process that does not hold the account, the holder performs it once', async () => {
    servers.push(await startServer({ ...env, WORKER_ID: 'w1' }), await startServer({ ...env, WORKER_ID: 'w2' }));
    await pacedAccount(servers[0], 'asked-elsewhere');
    const holderId = (await account(servers[0], 'asked-elsewhere')).ownerWorkerId;
    const other = holderId === 'w1' ? servers[1] : servers[0];
    const waiting = await send(other, 'asked-elsewhere', 'waiting when the reset is asked');

    expect((await call(other, 'POST', '/api/whatsapp/accounts/asked-elsewhere/reset-session')).status).toBe(202);
    await eventually(() => statusOf(other, waiting), (m) => m.status === 'failed', 10_000);
    expect((await account(other, 'asked-elsewhere')).ownerWorkerId).toBe(holderId);
    await expectPerformedOnce(other, 'asked-elsewhere', waiting);
  }, 60_000);

  it('asked while its holder is dead (SIGKILL), the next holder performs it once', async () => {
    await pacedAccount(servers[0], 'holder-killed');
    const holderId = (await account(servers[0], 'holder-killed')).ownerWorkerId;
    const [holder, survivor] = holderId === 'w1' ? servers : [servers[1], servers[0]];
    const waiting = await send(survivor, 'holder-killed', 'waiting when the holder dies');
    await holder.stop('SIGKILL');

    expect((await call(survivor, 'POST', '/api/whatsapp/accounts/holder-killed/reset-session')).status).toBe(202);
    const taken = await eventually(() => account(survivor, 'holder-killed'), (a) => a.ownerWorkerId !== holderId && a.status === 'connected', LEASE_MS + 10_000);
    expect(taken.ownerWorkerId).not.toBe(holderId);
    await expectPerformedOnce(survivor, 'holder-killed', waiting);
  }, 60_000);
});
