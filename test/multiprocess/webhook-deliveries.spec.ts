import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { IncomingHttpHeaders, createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqlite } from '../../src/store/sqlite/sqlite-database';
import { killWorker } from '../support/delivery-audit';
import { deliveryEnv, linkAccounts, sendMessages } from '../support/delivery-scenario';
import { eventually } from '../support/eventually';
import { ServerProcess, startServer } from '../support/server-process';

const KEY = 'webhook-test-key-0123456789';
const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const MESSAGES = 300;

/** A receiver that takes 40 ms to answer 200, so attempts are in flight when a process dies. */
async function startReceiver() {
  const received: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      setTimeout(() => res.writeHead(200).end(), 40);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { server, port: (server.address() as AddressInfo).port, received };
}

describe('webhook deliveries across two processes on one sqlite file, one SIGKILLed mid-delivery', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wa-webhooks-'));
  const servers: ServerProcess[] = [];
  let receiver: Awaited<ReturnType<typeof startReceiver>> | undefined;
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop('SIGKILL')));
    receiver?.server.closeAllConnections();
    // Made in the test itself: absent when the emulator (or the build) failed first.
    if (receiver) await new Promise((resolve) => receiver!.server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('delivers every logged event, each signed, repeats only under the same id and body', async () => {
    receiver = await startReceiver();
    const dbPath = join(dir, 'whatsapp.db');
    const env = {
      ...deliveryEnv(KEY, join(dir, 'simulator.log'), { SQLITE_PATH: dbPath }),
      WA_SIMULATOR_FAILURE_RATE: '0',
      OUTBOUND_ALLOW_HOSTS: `127.0.0.1:${receiver.port}`,
      WEBHOOK_URL: `http://127.0.0.1:${receiver.port}/hook`,
      WEBHOOK_SECRET: SECRET,
      // A 9 s delivery lease (2 × timeout + 5 s): what a killed process held comes back within it.
      WEBHOOK_TIMEOUT_MS: '2000',
      WEBHOOK_DISPATCH_POLL_MS: '20',
    };
    for (const workerId of ['p1', 'p2']) servers.push(await startServer({ ...env, WORKER_ID: workerId }));
    const scenario = { key: KEY, endpoints: servers, accounts: 10, messages: MESSAGES, recipientsPerAccount: 10, concurrency: 8 };
    await linkAccounts(scenario);
    const sending = sendMessages(scenario);
    sending.catch(() => undefined);
    await eventually(() => receiver!.received.length, (n) => n >= 150, 60_000);
    await killWorker('p1', servers[0]);
    expect(await sending).toBe(MESSAGES);

    const db = openSqlite(dbPath);
    try {
      const logged = () => (db.prepare('SELECT event_id FROM events ORDER BY seq').all() as Array<{ event_id: string }>).map((row) => row.event_id);
      // Every message is accepted and sent: 2 events each, beside the accounts' own.
      await eventually(() => logged().length, (n) => n >= 2 * MESSAGES + 10, 60_000);
      const undelivered = () => {
        const got = new Set(receiver!.received.map((r) => String(r.headers['webhook-id'])));
        return logged().filter((eventId) => !got.has(eventId));
      };
      expect(await eventually(undelivered, (missing) => missing.length === 0, 60_000)).toEqual([]);
      const open = () => (db.prepare("SELECT COUNT(*) AS n FROM webhook_deliveries WHERE status <> 'delivered'").get() as { n: number }).n;
      expect(await eventually(open, (n) => n === 0, 30_000)).toBe(0);

      const bodies = new Map<string, string>();
      for (const request of receiver.received) {
        new Webhook(SECRET).verify(request.body, request.headers as Record<string, string>);
        const eventId = String(request.headers['webhook-id']);
        const body = JSON.parse(request.body);
        expect(body.data.id).toBe(eventId);
        // A repeat is the same event: same id, same body (only the signature and its timestamp are new).
        if (bodies.has(eventId)) expect(request.body).toBe(bodies.get(eventId));
        bodies.set(eventId, request.body);
      }
      expect([...bodies.keys()].sort()).toEqual(logged().sort());
      const repeats = receiver.received.length - bodies.size;
      console.log(`webhooks: ${bodies.size} events delivered by 2 processes (p1 SIGKILLed after ${150}+ deliveries); ${repeats} delivered twice, each under its one id`);
    } finally {
      db.close();
    }
  }, 180_000);
});
