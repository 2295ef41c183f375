import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually';
import { ServerProcess, startServer } from '../support/server-process';
import { overlappingSockets, readSimulatorLog } from '../support/simulator-log';

const KEY = 'failover-test-key-0123456789';
const LEASE_MS = 3_000;

describe('30 accounts on two processes sharing one sqlite file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wa-failover-'));
  const logPath = join(dir, 'simulator.log');
  const env = {
    SQLITE_PATH: join(dir, 'whatsapp.db'),
    API_KEYS: KEY,
    WA_PROVIDER: 'simulator',
    WA_SIMULATOR_LOG: logPath,
    ACCOUNT_LEASE_MS: String(LEASE_MS),
  };
  const servers: ServerProcess[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop('SIGKILL')));
    rmSync(dir, { recursive: true, force: true });
  });

  const api = (server: ServerProcess, path: string, init: RequestInit = {}) =>
    fetch(`${server.url}${path}`, { ...init, headers: { 'x-api-key': KEY, 'content-type': 'application/json' } }).then((r) => r.json() as Promise<any>);
  const accounts = (server: ServerProcess) => api(server, '/api/whatsapp/accounts?limit=200').then((page) => page.items as Array<{ accountId: string; status: string; ownerWorkerId: string }>);

  it('connects every account exactly once, and after SIGKILL the survivor takes them within the lease, never two sockets at once', async () => {
    servers.push(await startServer({ ...env, WORKER_ID: 'w1' }), await startServer({ ...env, WORKER_ID: 'w2' }));
    for (let i = 0; i < 30; i++) {
      await api(servers[i % 2], '/api/whatsapp/accounts', { method: 'POST', body: JSON.stringify({ accountId: `acc${String(i).padStart(2, '0')}` }) });
    }
    const linked = await eventually(() => accounts(servers[0]), (list) => list.length === 30 && list.every((a) => a.status === 'connected'), 20_000);
    expect(linked.filter((a) => a.status === 'connected')).toHaveLength(30);
    const byWorker = (list: typeof linked, worker: string) => list.filter((a) => a.ownerWorkerId === worker).length;
    expect(byWorker(linked, 'w1') + byWorker(linked, 'w2')).toBe(30);
    // Each account's sockets all come from one worker; a new link's second socket is WhatsApp's
    // restart-after-pairing (restartRequired), not a second owner.
    const connects = readSimulatorLog(logPath).filter((l) => l.type === 'connect');
    const workersOf = new Map<string, Set<string>>();
    for (const c of connects) workersOf.set(c.accountId, (workersOf.get(c.accountId) ?? new Set()).add(c.workerId));
    expect(workersOf.size).toBe(30);
    expect([...workersOf.values()].every((workers) => workers.size === 1)).toBe(true);
    expect(overlappingSockets(readSimulatorLog(logPath))).toEqual([]);

    const victim = servers[0];
    const killedAt = Date.now();
    await victim.stop('SIGKILL');
    const taken = await eventually(
      () => accounts(servers[1]),
      (list) => list.every((a) => a.status === 'connected' && a.ownerWorkerId === 'w2'),
      LEASE_MS + 10_000,
    );
    const tookMs = Date.now() - killedAt;
    expect(taken.every((a) => a.status === 'connected' && a.ownerWorkerId === 'w2')).toBe(true);
    expect(tookMs).toBeLessThan(LEASE_MS + 5_000);
    console.log(`failover: ${byWorker(linked, 'w1')} accounts moved from w1 to w2 in ${tookMs} ms (lease ${LEASE_MS} ms)`);

    const log = readSimulatorLog(logPath);
    expect(overlappingSockets(log, { w1: killedAt })).toEqual([]);
    const reconnects = log.filter((l) => l.type === 'connect' && l.at > killedAt);
    expect(reconnects.every((l) => l.workerId === 'w2')).toBe(true);
    expect(new Set(reconnects.map((l) => l.accountId)).size).toBe(byWorker(linked, 'w1'));
    // Restored from the stored session: no account went back to QR.
    expect(taken.every((a) => a.status === 'connected')).toBe(true);
  }, 60_000);
});
