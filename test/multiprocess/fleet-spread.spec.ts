import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';
import { OutboxRow, auditDeliveries } from '../support/delivery-audit';
import { deliveryEnv, sendMessages } from '../support/delivery-scenario';
import { eventually } from '../support/eventually';
import { ServerProcess, startServer } from '../support/server-process';
import { overlappingSockets, readSimulatorLog } from '../support/simulator-log';

const KEY = 'fleet-test-key-0123456789';
const LEASE_MS = 3_000;
const ACCOUNTS = 30;

type Holders = Record<string, number>;

// Accounts created through one instance of three, then a fourth joining and one leaving by SIGTERM, with
// sends flowing throughout: the spread stays within ceil(A/N)+1 once settled, an account never has two
// sockets at once, and every send goes out once under its id.
describe('accounts spread evenly over instances that join and leave (four processes, one sqlite file)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wa-fleet-'));
  const servers = new Map<string, ServerProcess>();
  afterAll(async () => {
    await Promise.all([...servers.values()].map((s) => s.stop('SIGKILL')));
    rmSync(dir, { recursive: true, force: true });
  });

  it('settles within the bound, hands a share to a joiner, and hands a leaver\'s accounts over within one lease', async () => {
    const dbPath = join(dir, 'whatsapp.db');
    const logPath = join(dir, 'simulator.log');
    const env = { ...deliveryEnv(KEY, logPath, { SQLITE_PATH: dbPath }), ACCOUNT_LEASE_MS: String(LEASE_MS), WA_SIMULATOR_FAILURE_RATE: '0' };
    const start = async (workerId: string) => servers.set(workerId, await startServer({ ...env, WORKER_ID: workerId }));
    const api = (workerId: string, path: string, body?: unknown) =>
      fetch(`${servers.get(workerId)!.url}${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { 'x-api-key': KEY, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      }).then((r) => r.json() as Promise<any>);
    const holders = async (via: string): Promise<{ connected: number; by: Holders }> => {
      const items = (await api(via, '/api/whatsapp/accounts?limit=200')).items as Array<{ status: string; ownerWorkerId: string | null }>;
      const by: Holders = {};
      for (const account of items) if (account.status === 'connected' && account.ownerWorkerId) by[account.ownerWorkerId] = (by[account.ownerWorkerId] ?? 0) + 1;
      return { connected: items.filter((a) => a.status === 'connected').length, by };
    };
    const spreadWithin = (instances: string[]) => (seen: { connected: number; by: Holders }) =>
      seen.connected === ACCOUNTS && Object.keys(seen.by).every((w) => instances.includes(w)) && instances.every((w) => (seen.by[w] ?? 0) > 0) &&
      Math.max(...Object.values(seen.by)) <= Math.ceil(ACCOUNTS / instances.length) + 1;

    for (const workerId of ['w1', 'w2', 'w3']) await start(workerId);
    for (let i = 0; i < ACCOUNTS; i++) await api('w1', '/api/whatsapp/accounts', { accountId: `acc${String(i).padStart(2, '0')}` });
    const three = await eventually(() => holders('w1'), spreadWithin(['w1', 'w2', 'w3']), 30_000);
    expect(spreadWithin(['w1', 'w2', 'w3'])(three)).toBe(true);

    const sending = sendMessages({ key: KEY, endpoints: [servers.get('w1')!, servers.get('w3')!], accounts: ACCOUNTS, messages: 600, recipientsPerAccount: 5, concurrency: 4 });
    sending.catch(() => undefined);
    await start('w4');
    // Settled three leases after the join, then one hand-off per lease from each instance above its share.
    const four = await eventually(() => holders('w1'), spreadWithin(['w1', 'w2', 'w3', 'w4']), 12 * LEASE_MS + 10_000);
    expect(spreadWithin(['w1', 'w2', 'w3', 'w4'])(four)).toBe(true);

    const leaver = four.by.w2;
    const signalledAt = Date.now();
    await servers.get('w2')!.stop('SIGTERM');
    servers.delete('w2');
    const after = await eventually(() => holders('w1'), (seen) => seen.connected === ACCOUNTS && seen.by.w2 === undefined, LEASE_MS + 10_000);
    const handedOverMs = Date.now() - signalledAt;
    expect(after.by.w2).toBeUndefined();
    expect(after.connected).toBe(ACCOUNTS);
    expect(await sending).toBe(600);

    const store = SqliteStore.open(dbPath);
    const open = () => (store.db.prepare("SELECT COUNT(*) AS n FROM outbox WHERE status IN ('queued', 'processing')").get() as { n: number }).n;
    expect(await eventually(open, (n) => n === 0, 30_000)).toBe(0);
    const items = store.db.prepare('SELECT id, request_id, text, wa_message_id, status, attempts FROM outbox').all() as OutboxRow[];
    store.close();
    expect(items.filter((item) => item.status !== 'sent')).toEqual([]);
    const log = readSimulatorLog(logPath);
    expect(auditDeliveries(items, log)).toEqual([]);
    expect(overlappingSockets(log)).toEqual([]);
    console.log(
      `fleet: 3 instances ${JSON.stringify(three.by)}; with a 4th ${JSON.stringify(four.by)}; w2 (${leaver} accounts) left by SIGTERM, ` +
        `its accounts held again in ${handedOverMs} ms (lease ${LEASE_MS} ms) ${JSON.stringify(after.by)}; 600 sends, each once`,
    );
  }, 120_000);
});
