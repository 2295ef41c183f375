import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';
import { OutboxRow, auditDeliveries, killWorker } from '../support/delivery-audit';
import { deliveryEnv, linkAccounts, sendMessages } from '../support/delivery-scenario';
import { eventually } from '../support/eventually';
import { ServerProcess, startServer } from '../support/server-process';
import { readSimulatorLog } from '../support/simulator-log';

const KEY = 'delivery-test-key-0123456789';

function openStore(path: string) {
  const store = SqliteStore.open(path);
  return {
    items: () => store.db.prepare('SELECT id, request_id, text, wa_message_id, status, attempts FROM outbox').all() as OutboxRow[],
    open: () => (store.db.prepare("SELECT COUNT(*) AS n FROM outbox WHERE status IN ('queued', 'processing')").get() as { n: number }).n,
    messageStatuses: () => store.db.prepare("SELECT status, COUNT(*) AS n FROM messages WHERE direction = 'outbound' GROUP BY status").all(),
    close: () => store.close(),
  };
}

describe('the outbox across three processes on one sqlite file, 30 accounts, random send failures', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wa-delivery-'));
  const servers: ServerProcess[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop('SIGKILL')));
    rmSync(dir, { recursive: true, force: true });
  });

  it('ends 3,000 messages sent, each under its one id, resending only what a SIGKILLed worker had claimed', async () => {
    const dbPath = join(dir, 'whatsapp.db');
    const logPath = join(dir, 'simulator.log');
    const env = deliveryEnv(KEY, logPath, { SQLITE_PATH: dbPath });
    for (const workerId of ['p1', 'p2', 'p3']) servers.push(await startServer({ ...env, WORKER_ID: workerId }));
    const scenario = { key: KEY, endpoints: servers, accounts: 30, messages: 3000, recipientsPerAccount: 20 };
    await linkAccounts(scenario);
    const store = openStore(dbPath);

    const sending = sendMessages(scenario);
    // Should a check below fail first, the servers stop under the sends: their errors belong to this test, not to the run.
    sending.catch(() => undefined);
    // Mid-run: p1 holds accounts and has sends in flight when it dies.
    await eventually(() => readSimulatorLog(logPath).filter((l) => l.type === 'send' && l.workerId === 'p1').length, (n) => n >= 100, 30_000);
    const killed = await killWorker('p1', servers[0]);
    expect(await sending).toBe(3000);

    const open = await eventually(() => store.open(), (n) => n === 0, 90_000);
    expect(open).toBe(0);
    const items = store.items();
    expect(items).toHaveLength(3000);
    expect(items.filter((i) => i.status !== 'sent')).toEqual([]);
    expect(store.messageStatuses()).toEqual([{ status: 'sent', n: 3000 }]);
    const log = readSimulatorLog(logPath);
    expect(auditDeliveries(items, log, killed)).toEqual([]);
    const resent = items.filter((i) => log.filter((l) => l.type === 'send' && l.text === i.text && !(l as { rejected?: boolean }).rejected).length > 1);
    console.log(`delivery: 3000 sent; ${resent.length} resent after p1 was killed (each with its original id)`);
    store.close();
  }, 180_000);
});
