import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { IncomingHttpHeaders, createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterAll, expect, it } from 'vitest';
import { Clock } from '../../src/common/clock';
import { FirestoreEventLog } from '../../src/events/firestore/event-log.repository.firestore';
import { FirestoreStore } from '../../src/store/firestore/firestore-store';
import { killWorker } from '../support/delivery-audit';
import { deliveryEnv, linkAccounts, retryingServerErrors, sendMessages } from '../support/delivery-scenario';
import { eventually } from '../support/eventually';
import { describeOnFirestoreEmulator } from '../support/firestore-emulator';
import { ServerProcess, startServer } from '../support/server-process';

const KEY = 'webhook-test-key-0123456789';
const PROJECT = 'demo-webhooks-three-processes';
const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const MESSAGES = 60;

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

/** Every event the log holds, read through the Firestore reader. */
async function loggedEventIds(log: FirestoreEventLog): Promise<string[]> {
  const ids: string[] = [];
  for (let cursor: string | null = null; ; ) {
    const read = await log.read(cursor, {}, 500);
    ids.push(...read.entries.map((entry) => entry.event.eventId));
    if (read.entries.length < 500) return ids;
    cursor = read.next;
  }
}

// Three processes as three machines would run them (one emulator, no shared disk), one SIGKILLed while
// it holds delivery claims: every event still reaches the endpoint, repeats under the same id.
describeOnFirestoreEmulator('webhook deliveries across three processes sharing the Firestore emulator', (host) => {
  const dir = mkdtempSync(join(tmpdir(), 'wa-firestore-webhooks-'));
  const servers: ServerProcess[] = [];
  let receiver: Awaited<ReturnType<typeof startReceiver>> | undefined;
  let store: FirestoreStore | undefined;
  const plainFetch = globalThis.fetch;
  afterAll(async () => {
    globalThis.fetch = plainFetch;
    await Promise.all(servers.map((s) => s.stop('SIGKILL')));
    await store?.close();
    receiver?.server.closeAllConnections();
    // Made in the test itself: absent when the emulator (or the build) failed first.
    if (receiver) await new Promise((resolve) => receiver!.server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('delivers every logged event, each signed, repeats only under the same id and body', async () => {
    receiver = await startReceiver();
    const env = {
      ...deliveryEnv(KEY, join(dir, 'simulator.log'), { STORE: 'firestore', FIREBASE_PROJECT_ID: PROJECT, FIRESTORE_EMULATOR_HOST: host() }),
      WA_SIMULATOR_FAILURE_RATE: '0',
      OUTBOX_LEASE_MS: '10000',
      OUTBOUND_ALLOW_HOSTS: `127.0.0.1:${receiver.port}`,
      WEBHOOK_URL: `http://127.0.0.1:${receiver.port}/hook`,
      WEBHOOK_SECRET: SECRET,
      // A 9 s delivery lease (2 × timeout + 5 s): what the killed process held comes back within it.
      WEBHOOK_TIMEOUT_MS: '2000',
      // The emulator under this load makes some commits readable seconds after their commit time (seen: an
      // event committed 8 s after it began, read by no page before the dispatcher had passed that time):
      // the log is read 15 s behind here, not 1. Whether Cloud Firestore itself ever does so is not known
      // here (issue 14's note).
      EVENT_SETTLE_MS: '15000',
    };
    for (const workerId of ['p1', 'p2', 'p3']) servers.push(await startServer({ ...env, WORKER_ID: workerId }));
    const scenario = { key: KEY, endpoints: servers, accounts: 6, messages: MESSAGES, recipientsPerAccount: 10, concurrency: 6 };
    await linkAccounts(scenario);
    // Answers of 5xx (a busy emulator, locks a killed process left) are retried with the same key, as the contract invites.
    globalThis.fetch = retryingServerErrors(plainFetch, []);
    const sending = sendMessages(scenario);
    sending.catch(() => undefined);
    await eventually(() => receiver!.received.length, (n) => n >= 25, 90_000);
    await killWorker('p1', servers[0]);
    expect(await sending).toBe(MESSAGES);
    globalThis.fetch = plainFetch;

    store = FirestoreStore.open(PROJECT, host());
    const log = new FirestoreEventLog(store, new Clock());
    // Every message is accepted and sent: 2 events each, beside the accounts' own.
    await eventually(() => loggedEventIds(log), (ids) => ids.length >= 2 * MESSAGES + 6, 60_000);
    // The log still grows for a while (the killed process's accounts change hands): read it afresh each time.
    const check = async () => {
      const got = new Set(receiver!.received.map((r) => String(r.headers['webhook-id'])));
      const logged = await loggedEventIds(log);
      return { logged, missing: logged.filter((eventId) => !got.has(eventId)) };
    };
    const { logged, missing } = await eventually(check, (seen) => seen.missing.length === 0, 90_000);
    if (missing.length > 0) {
      // What became of them: skipped by the dispatch (no item), or an item never delivered.
      for (const eventId of missing) {
        const event = (await store.db.collection('events').doc(eventId).get()).data();
        const item = (await store.db.collection('webhookDeliveries').doc(`wh_env__${eventId}`).get()).data();
        console.log(JSON.stringify({ eventId, type: event?.type, occurredAt: event?.occurredAt?.toMillis(), committedAt: event?.committedAt?.toMillis(), item: item ?? null }));
      }
    }
    expect(missing).toEqual([]);

    const bodies = new Map<string, string>();
    for (const request of receiver.received) {
      new Webhook(SECRET).verify(request.body, request.headers as Record<string, string>);
      const eventId = String(request.headers['webhook-id']);
      expect(JSON.parse(request.body).data.id).toBe(eventId);
      if (bodies.has(eventId)) expect(request.body).toBe(bodies.get(eventId));
      bodies.set(eventId, request.body);
    }
    // Every event the log held then was delivered, and nothing that is not an event of the log.
    expect(logged.filter((eventId) => !bodies.has(eventId))).toEqual([]);
    const kept = new Set(await loggedEventIds(log));
    expect([...bodies.keys()].filter((eventId) => !kept.has(eventId))).toEqual([]);
    console.log(`firestore webhooks: ${bodies.size} events delivered by 3 processes (p1 SIGKILLed mid-run); ${receiver.received.length - bodies.size} delivered twice, each under its one id`);
  }, 240_000);
});
