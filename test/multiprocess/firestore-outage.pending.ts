import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { FirestoreOutboxRepository } from '../../src/outbox/firestore/outbox.repository.firestore';
import { FirestoreStore } from '../../src/store/firestore/firestore-store';
import { accountIdOf, linkAccounts } from '../support/delivery-scenario';
import { eventually } from '../support/eventually';
import { RunningEmulator, findFirestoreEmulator, startFirestoreEmulator } from '../support/firestore-emulator';
import { ServerProcess, startServer } from '../support/server-process';
import { readSimulatorLog } from '../support/simulator-log';

const KEY = 'outage-test-key-0123456789';
const PROJECT = 'demo-store-outage';
const ACCOUNTS = 4;
const DEADLINE_MS = 2000;
/** The issue paused the emulator for 30 s; 10 s shows the same (every lease and claim lapses or waits) and keeps the file fast. */
const OUTAGE_MS = 10_000;
const SEND_EVERY_MS = 200;
/** How long after the outage the app may take to accept and send everything. */
const RECOVERY_MS = 90_000;

interface Answer {
  requestId: string;
  status: number | 'no answer';
  ms: number;
  requestIdNamed?: string;
  /** When it was sent, from the moment the emulator stopped. */
  sentAt: number;
}

const search = findFirestoreEmulator();
if (!search.found) console.warn(`[firestore] the store outage test DID NOT RUN: ${search.reason}. Its test is reported as skipped.`);

// Issue 18: Firestore stops answering (SIGSTOP of the emulator, its own here: the others' must not pause)
// under a steady flow of sends, then comes back; the one process is never restarted.
describe.skipIf(!search.found || !!process.env.FIRESTORE_EMULATOR_HOST)('a Firestore outage under a steady flow of sends', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wa-firestore-outage-'));
  const logPath = join(dir, 'simulator.log');
  let emulator: RunningEmulator;
  let server: ServerProcess;
  let store: FirestoreStore | undefined;

  beforeAll(async () => {
    emulator = await startFirestoreEmulator();
    server = await startServer({
      STORE: 'firestore',
      FIREBASE_PROJECT_ID: PROJECT,
      FIRESTORE_EMULATOR_HOST: emulator.host,
      API_KEYS: KEY,
      WA_PROVIDER: 'simulator',
      WA_SIMULATOR_LOG: logPath,
      WA_SIMULATOR_SEND_MS: '20',
      SEND_MIN_INTERVAL_MS: '0',
      OUTBOX_POLL_MS: '200',
      // Account leases shorter than the outage: every holder misses its renewals and closes its sockets at
      // the local deadline. Claims outlive the outage, so none is taken from under a send made before it.
      ACCOUNT_LEASE_MS: '8000',
      OUTBOX_LEASE_MS: '15000',
      STORE_DEADLINE_MS: String(DEADLINE_MS),
      WORKER_ID: 'p1',
    });
    await linkAccounts({ key: KEY, endpoints: [server], accounts: ACCOUNTS, messages: 0, recipientsPerAccount: 1 });
  }, 60_000);

  afterAll(async () => {
    emulator?.resume();
    await store?.close();
    await server?.stop('SIGKILL');
    await emulator?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  let pausedAtMs = 0;
  const send = async (i: number, requestId = `req-${i}`): Promise<Answer> => {
    const started = Date.now();
    const sentAt = started - pausedAtMs;
    try {
      const response = await fetch(`${server.url}/api/whatsapp/send-message`, {
        method: 'POST',
        headers: { 'x-api-key': KEY, 'content-type': 'application/json', 'idempotency-key': requestId },
        body: JSON.stringify({ accountId: accountIdOf(i % ACCOUNTS), to: `4072${String(i % 7).padStart(7, '0')}`, message: `msg-${i}` }),
        signal: AbortSignal.timeout(OUTAGE_MS + 5_000),
      });
      const body = (await response.json()) as { requestId?: string };
      return { requestId, status: response.status, ms: Date.now() - started, requestIdNamed: body.requestId, sentAt };
    } catch {
      return { requestId, status: 'no answer', ms: Date.now() - started, sentAt };
    }
  };

  it('answers every send 202 or 503 within the deadline, and after it ends sends every accepted one exactly once, none left queued, without a restart', async () => {
    onTestFailed(() => console.log(`the server's warnings and errors, by kind:\n${problemKinds(server.output)}`));
    const answers: Array<Promise<Answer>> = [];
    let i = 0;
    pausedAtMs = Date.now() + 2_000;
    const flow = setInterval(() => answers.push(send(i++)), SEND_EVERY_MS);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    emulator.pause();
    pausedAtMs = Date.now();
    const pausedAt = i;
    await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
    emulator.resume();
    const resumedAt = i;
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    clearInterval(flow);
    const answered = await Promise.all(answers);

    const late = answered.filter((a) => a.status === 'no answer' || a.ms > DEADLINE_MS + 1_000 || (a.status !== 202 && a.status !== 503));
    // Soft: the checks after it still tell whether the app recovered.
    expect.soft(late.map((a) => `${a.requestId} sent ${a.sentAt} ms after the pause began: ${a.status} after ${a.ms} ms`)).toEqual([]);
    const refused = answered.filter((a) => a.status === 503);
    // The outage was seen: sends made while the emulator was stopped could not all be accepted.
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((a) => a.requestIdNamed === a.requestId)).toBe(true);
    // Each 503 named its key: retried with it once the store is back, it answers the one message, written then or before.
    // As a client does: again after Retry-After while it answers 503.
    const resumed = Date.now();
    const retried = await Promise.all(refused.map((a) => untilAccepted(() => send(Number(a.requestId.slice(4)), a.requestId))));
    const acceptedAll = Date.now();
    expect(retried.filter((a) => a.status !== 202)).toEqual([]);

    store = FirestoreStore.open(PROJECT, emulator.host);
    const outbox = new FirestoreOutboxRepository(store);
    const items = await eventually(
      () => Promise.all(answered.map((a, n) => outbox.get(accountIdOf(n % ACCOUNTS), a.requestId))),
      (found) => found.every((item) => item?.status === 'sent'),
      RECOVERY_MS,
    );
    const unsent = items.filter((item) => item?.status !== 'sent');
    expect(unsent.map((item) => `${item?.requestId} (${item?.threadId}, seq ${item?.seq}): ${item?.status}, ${item?.attempts} attempts, lease ${item?.leaseUntil ? item.leaseUntil - Date.now() : '-'} ms, ${item?.lastError}`)).toEqual([]);
    const allSent = Date.now();
    const sends = readSimulatorLog(logPath).filter((line) => line.type === 'send');
    const notSentOnce = answered.filter((_, n) => sends.filter((line) => line.text === `msg-${n}`).length !== 1).map((a) => a.requestId);
    console.log(
      `firestore outage of ${OUTAGE_MS / 1000} s: ${answered.length} sends (${pausedAt} before the pause, ${resumedAt - pausedAt} during, ${answered.length - resumedAt} after); ` +
        `${refused.length} answered 503, slowest answer ${Math.max(...answered.map((a) => a.ms))} ms; ${answered.length - notSentOnce.length} sent exactly once; ` +
        `the 503s all accepted ${((acceptedAll - resumed) / 1000).toFixed(1)} s and everything sent ${((allSent - resumed) / 1000).toFixed(1)} s after the flow ended`,
    );
    expect(notSentOnce).toEqual([]);
    expect(server.child.exitCode).toBeNull();
  }, 300_000);
});

/** Sends again, Retry-After (the deadline's seconds) after each 503, for at most RECOVERY_MS. */
async function untilAccepted(send: () => Promise<Answer>): Promise<Answer> {
  const until = Date.now() + RECOVERY_MS;
  for (;;) {
    const answer = await send();
    if (answer.status !== 503 || Date.now() > until) return answer;
    await new Promise((resolve) => setTimeout(resolve, DEADLINE_MS));
  }
}

/** Each kind of warning or error the server logged (message and error), how often, and when first (s after the first). */
function problemKinds(output: string[]): string {
  const kinds = new Map<string, { count: number; first: number }>();
  for (const line of output.join('').split('\n')) {
    if (!/^\{"level":(40|50)/.test(line)) continue;
    const entry = JSON.parse(line) as { time: number; msg?: string; err?: { message?: string } };
    const kind = `${entry.msg} ${entry.err?.message?.slice(0, 100) ?? ''}`;
    const seen = kinds.get(kind) ?? { count: 0, first: entry.time };
    kinds.set(kind, { count: seen.count + 1, first: seen.first });
  }
  const start = Math.min(...[...kinds.values()].map((k) => k.first));
  return [...kinds].map(([kind, { count, first }]) => `${count}x from +${((first - start) / 1000).toFixed(1)} s: ${kind}`).join('\n');
}
