import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { auditDeliveries, OutboxRow } from '../support/delivery-audit';
import { eventually } from '../support/eventually';
import { ServerProcess, startServer } from '../support/server-process';
import { readSimulatorLog } from '../support/simulator-log';
import { parseExposition, valueOf } from '../medium/ops/support/prometheus';

const KEY = 'shutdown-key-0123456789abcdef';
const ACCOUNTS = 10;
const BACKLOG = 800;
const accountIdOf = (i: number) => `sd${String(i).padStart(2, '0')}`;

describe('graceful shutdown on SIGTERM, under load, with real processes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wa-shutdown-'));
  const sqlitePath = join(dir, 'whatsapp.db');
  const simulatorLog = join(dir, 'simulator.log');
  const servers: ServerProcess[] = [];
  const start = async (workerId: string, extra: Record<string, string> = {}) => {
    const server = await startServer({
      API_KEYS: KEY,
      WA_PROVIDER: 'simulator',
      SQLITE_PATH: sqlitePath,
      WA_SIMULATOR_SEND_MS: '200',
      WA_SIMULATOR_LOG: simulatorLog,
      SEND_MIN_INTERVAL_MS: '0',
      OUTBOX_POLL_MS: '50',
      METRICS_STORE_READ_MS: '0',
      WORKER_ID: workerId,
      LOG_LEVEL: 'info',
      ...extra,
    });
    servers.push(server);
    return server;
  };
  const post = (server: ServerProcess, path: string, body: unknown) =>
    fetch(`${server.url}${path}`, { method: 'POST', headers: { 'x-api-key': KEY, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const sendBody = (i: number, prefix: string) => ({ accountId: accountIdOf(1 + (i % ACCOUNTS)), to: `4072${String(i).padStart(7, '0')}`, message: `${prefix}-${i}`, requestId: `${prefix}-${i}` });
  /** Reads the file as an operator would, beside the process or after it is gone. */
  const query = <T>(sql: string): T[] => {
    const db = new Database(sqlitePath, { readonly: true });
    try {
      return db.prepare(sql).all() as T[];
    } finally {
      db.close();
    }
  };
  afterAll(() => {
    for (const server of servers) if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('stops accepting, finishes or releases every in-flight send, gives back every lease, exits 0; a restart sends the rest once', async () => {
    // A backlog first, so the server under test has hundreds of sends in flight at once (accepts alone,
    // ~300/s here, would keep only ~60 in flight at 200 ms a send). The first server may hold one account
    // (sd00); the ten others wait unowned with 80 queued sends each.
    const intake = await start('intake', { ACCOUNT_CAPACITY: '1' });
    for (let i = 0; i <= ACCOUNTS; i++) expect((await post(intake, '/api/whatsapp/accounts', { accountId: accountIdOf(i) })).status).toBe(201);
    for (let i = 0; i < BACKLOG; i += 50) {
      const batch = await Promise.all(Array.from({ length: 50 }, (_, k) => post(intake, '/api/whatsapp/send-message', sendBody(i + k, 'backlog'))));
      expect(batch.map((response) => response.status)).toEqual(Array(50).fill(202));
    }
    expect(await intake.stop('SIGTERM')).toBe(0);

    const server = await start('w1');
    // Clients keep sending while the server drains the backlog and while it stops.
    const statuses: Array<number | 'refused'> = [];
    let next = 0;
    let stopping = false;
    const client = async () => {
      while (!stopping) {
        const i = next++;
        statuses[i] = await post(server, '/api/whatsapp/send-message', sendBody(i, 'live'))
          .then((response) => response.status)
          .catch(() => 'refused' as const);
        if (statuses[i] !== 202) return;
      }
    };
    const clients = Promise.all(Array.from({ length: 20 }, client));
    // Aim by the simulated WhatsApp's own log: sends handed to it less than one send time (200 ms) ago.
    const startedWithin = (ms: number, until = Date.now()) =>
      readSimulatorLog(simulatorLog).filter((line) => line.type === 'send' && line.workerId === 'w1' && line.at > until - ms && line.at <= until).length;
    await eventually(() => startedWithin(150), (n) => n >= 200, 20_000);
    const signalledAt = Date.now();
    stopping = true;
    const exitCode = await server.stop('SIGTERM');
    const shutdownMs = Date.now() - signalledAt;
    await clients;
    const inFlightAtSignal = startedWithin(200, signalledAt);
    console.log(`shutdown: ${inFlightAtSignal} sends in flight at SIGTERM; exit ${exitCode} after ${shutdownMs} ms; live requests ${JSON.stringify(countOf(statuses))}`);

    expect(inFlightAtSignal).toBeGreaterThanOrEqual(200);
    expect(exitCode).toBe(0);
    expect(server.output.join('')).toContain('shutting down');
    // Each live request got 202 (durable), or was refused before it was read; none half-done (5xx).
    expect(statuses.filter((status) => status !== 202 && status !== 503 && status !== 'refused')).toEqual([]);
    expect(query(`SELECT id FROM outbox WHERE status = 'processing'`)).toEqual([]);
    expect(query('SELECT account_id, owner, lease_until FROM accounts WHERE owner IS NOT NULL OR lease_until IS NOT NULL')).toEqual([]);
    const accepted = [...Array.from({ length: BACKLOG }, (_, i) => `backlog-${i}`), ...statuses.flatMap((status, i) => (status === 202 ? [`live-${i}`] : []))];
    expect(new Set(query<{ request_id: string }>('SELECT request_id FROM outbox').map((row) => row.request_id))).toEqual(new Set(accepted));

    // Whatever the first life left queued, the next one sends, and nothing is sent twice.
    const restarted = await start('w2', { WA_SIMULATOR_SEND_MS: '0' });
    await eventually(() => query<{ n: number }>(`SELECT COUNT(*) AS n FROM outbox WHERE status != 'sent'`)[0].n, (n) => n === 0, 30_000);
    expect(await restarted.stop('SIGTERM')).toBe(0);
    const items = query<OutboxRow>('SELECT id, request_id, text, wa_message_id, status, attempts FROM outbox');
    expect(items.filter((item) => item.status !== 'sent')).toEqual([]);
    expect(auditDeliveries(items, readSimulatorLog(simulatorLog))).toEqual([]);
  }, 120_000);

  it('exits at once on a second signal, while the first waits for a send that does not answer', async () => {
    const server = await start('w3', { WA_SIMULATOR_SEND_MS: '20000' });
    const slow = sendBody(1, 'slow');
    await eventually(
      async () => (await (await fetch(`${server.url}/api/whatsapp/accounts/${slow.accountId}`, { headers: { 'x-api-key': KEY } })).json()) as { status: string },
      (account) => account.status === 'connected',
    );
    expect((await post(server, '/api/whatsapp/send-message', slow)).status).toBe(202);
    await eventually(async () => parseExposition(await (await fetch(`${server.url}/metrics`)).text()), (s) => valueOf(s, 'whatsapp_outbox_items', { status: 'processing' }) === 1);
    const exited = new Promise<number | null>((resolve) => server.child.once('exit', (code) => resolve(code)));
    server.child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(server.child.exitCode).toBeNull();
    // The listener is closed already: a new request is refused, not accepted into a stopping process.
    await expect(post(server, '/api/whatsapp/send-message', sendBody(2, 'slow'))).rejects.toThrow();
    const secondAt = Date.now();
    server.child.kill('SIGTERM');
    const code = await exited;
    console.log(`second signal: exit ${code} after ${Date.now() - secondAt} ms`);
    expect(code).toBe(143);
    expect(Date.now() - secondAt).toBeLessThan(1000);
  }, 60_000);
});

function countOf(values: Array<number | string>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[String(value)] = (counts[String(value)] ?? 0) + 1;
  return counts;
}
