import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.factory';
import { loadAppConfig } from '../../src/config/app-config';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';
import { OutboxRow, auditDeliveries } from '../support/delivery-audit';
import { linkAccounts, sendMessages } from '../support/delivery-scenario';
import { eventually } from '../support/eventually';
import { readSimulatorLog } from '../support/simulator-log';

const KEY = 'four-processors-key-0123456789';

describe('four outbox processors in one process, one sqlite file, 30 accounts, random send failures', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wa-four-'));
  const apps: NestFastifyApplication[] = [];
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('ends every message sent, each under its one id, never accepted twice', async () => {
    const env = {
      SQLITE_PATH: join(dir, 'whatsapp.db'),
      API_KEYS: KEY,
      WA_PROVIDER: 'simulator',
      WA_SIMULATOR_LOG: join(dir, 'simulator.log'),
      WA_SIMULATOR_SEND_MS: '5',
      WA_SIMULATOR_FAILURE_RATE: '0.1',
      SEND_MIN_INTERVAL_MS: '0',
      OUTBOX_POLL_MS: '100',
      OUTBOX_MAX_ATTEMPTS: '40',
      LOG_LEVEL: 'warn',
    };
    for (let i = 1; i <= 4; i++) {
      const app = await createApp(loadAppConfig({ ...env, WORKER_ID: `in${i}` }));
      await app.listen({ port: 0, host: '127.0.0.1' });
      apps.push(app);
    }
    const endpoints = await Promise.all(apps.map(async (app) => ({ url: (await app.getUrl()).replace('[::1]', '127.0.0.1') })));
    const scenario = { key: KEY, endpoints, accounts: 30, messages: 1000, recipientsPerAccount: 30 };
    await linkAccounts(scenario);
    expect(await sendMessages(scenario)).toBe(1000);

    const store = SqliteStore.open(env.SQLITE_PATH);
    const open = () => (store.db.prepare("SELECT COUNT(*) AS n FROM outbox WHERE status IN ('queued', 'processing')").get() as { n: number }).n;
    expect(await eventually(open, (n) => n === 0, 60_000)).toBe(0);
    const items = store.db.prepare('SELECT id, request_id, text, wa_message_id, status, attempts FROM outbox').all() as OutboxRow[];
    expect(items.filter((i) => i.status !== 'sent')).toEqual([]);
    const log = readSimulatorLog(env.WA_SIMULATOR_LOG);
    expect(auditDeliveries(items, log)).toEqual([]);
    const workers = new Set(log.filter((l) => l.type === 'send').map((l) => l.workerId));
    expect(workers.size).toBe(4);
    store.close();
  }, 120_000);
});
