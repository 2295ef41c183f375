import { freePort } from './server-process';
import { FirestoreMediaDownloads } from '../../src/media-downloads/firestore/media-downloads.repository.firestore';
import { FirestoreInstanceRegistry } from '../../src/accounts/firestore/instance-registry.firestore';
import { ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants, existsSync, realpathSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe } from 'vitest';
import { Firestore } from 'firebase-admin/firestore';
import { FirestoreAccountKeyRepository } from '../../src/access/firestore/account-key.repository.firestore';
import { FirestoreAccountPurges } from '../../src/accounts/firestore/account-purges.firestore';
import { FirestoreAccountRepository } from '../../src/accounts/firestore/account.repository.firestore';
import { FirestoreSessionRepository } from '../../src/accounts/firestore/session.repository.firestore';
import { FirestoreContactAliasRepository } from '../../src/messaging/firestore/contact-alias.repository.firestore';
import { FirestoreMessageStatusRepository } from '../../src/receipts/firestore/message-status.repository.firestore';
import { FirestoreThreadRepository } from '../../src/messaging/firestore/thread.repository.firestore';
import { FirestoreOutboxRepository } from '../../src/outbox/firestore/outbox.repository.firestore';
import { FirestoreStore } from '../../src/store/firestore/firestore-store';
import { StoreFixture } from '../contract/store-fixture';
import { FirestoreAccountSends } from '../../src/outbox/firestore/account-sends.firestore';
import { FirestoreWebhookEndpointRepository } from '../../src/webhooks/firestore/webhook-endpoint.repository.firestore';
import { FirestoreWebhookDeliveries } from '../../src/webhooks/firestore/webhook-deliveries.repository.firestore';
import { Clock } from '../../src/common/clock';
import { EVENT_SETTLE_MS, FirestoreEventLog } from '../../src/events/firestore/event-log.repository.firestore';
import { EVENTS } from '../../src/events/firestore/event-docs.firestore';

/**
 * The event log's clock in the contract: one settle window ahead, so an event is read as soon as its write
 * returns (the settle code still runs), and moved on by `pass` as retention's time goes by.
 */
class SettledClock extends Clock {
  private passed = 0;

  now(): number {
    return Date.now() + EVENT_SETTLE_MS + this.passed;
  }

  pass(ms: number): void {
    this.passed += ms;
  }
}

/**
 * Google's Cloud Firestore emulator for the test run (Debian package google-cloud-cli-firestore-emulator,
 * Java 17). A spec calls `describeOnFirestoreEmulator`: it uses the emulator FIRESTORE_EMULATOR_HOST names
 * (set by the user, or by this file's default export run as a vitest `globalSetup`), else starts one for
 * the file and stops it after (measured here: answers HTTP 1.3-2.8 s after the start, ~120 MB of Java
 * when idle; killed in well under a second). Where none can be found the suite is reported skipped, with
 * the reason on its own line: never passed. Do not swap in `@firestore-emulator/server`: it lets racing
 * claims all win and ignores preconditions.
 */

const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 5_000;

export type EmulatorSearch = { found: true } | { found: false; reason: string };

export interface RunningEmulator {
  /** `127.0.0.1:PORT`, the form FIRESTORE_EMULATOR_HOST takes. */
  host: string;
  stop(): Promise<void>;
  /** SIGSTOP to the whole group: the emulator keeps its sockets open and answers nothing (an outage as clients see it). */
  pause(): void;
  /** SIGCONT: it answers again, what it was asked meanwhile first. */
  resume(): void;
}

/** Synchronous, so a spec can decide at collection time whether its suites run. */
export function findFirestoreEmulator(): EmulatorSearch {
  if (process.env.FIRESTORE_EMULATOR_HOST) return { found: true };
  const gcloud = onPath('gcloud');
  if (!gcloud) return { found: false, reason: 'gcloud is not on PATH (install google-cloud-cli)' };
  const sdkRoot = dirname(dirname(realpathSync(gcloud)));
  if (!existsSync(join(sdkRoot, 'platform', 'cloud-firestore-emulator'))) {
    return { found: false, reason: `no Firestore emulator under ${sdkRoot} (install google-cloud-cli-firestore-emulator)` };
  }
  if (!onPath('java')) return { found: false, reason: 'java is not on PATH (the emulator needs Java 17 or later)' };
  return { found: true };
}

/**
 * Starts `gcloud emulators firestore start` on a free 127.0.0.1 port; resolves once it answers HTTP. The
 * port is free when asked for and may be taken before the emulator binds it (seen once in a full run:
 * BindException): then it starts again on another, at most three times.
 */
export async function startFirestoreEmulator(): Promise<RunningEmulator> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startFirestoreEmulatorOnce();
    } catch (error) {
      if (attempt >= 3 || !/Address already in use/.test(String((error as Error).message))) throw error;
    }
  }
}

async function startFirestoreEmulatorOnce(): Promise<RunningEmulator> {
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  // detached: gcloud (python) runs a shell script that runs java, all in one new process group we kill whole.
  const child = spawn('gcloud', ['emulators', 'firestore', 'start', `--host-port=${host}`], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CLOUDSDK_CORE_DISABLE_PROMPTS: '1' },
  });
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const killOnExit = () => killGroup(child, 'SIGKILL');
  process.once('exit', killOnExit);
  const stop = async () => {
    process.removeListener('exit', killOnExit);
    await stopGroup(child);
  };
  try {
    await waitUntilAnswering(host, child, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { host, stop, pause: () => void killGroup(child, 'SIGSTOP'), resume: () => void killGroup(child, 'SIGCONT') };
}

/** Throws unless something answers HTTP at `host` within `timeoutMs`. */
export async function assertAnswering(host: string, timeoutMs = 2_000): Promise<void> {
  try {
    await fetch(`http://${host}/`, { signal: AbortSignal.timeout(timeoutMs) });
  } catch {
    throw new Error(`FIRESTORE_EMULATOR_HOST=${host} names no running emulator (no HTTP answer)`);
  }
}

/**
 * `describe` on the emulator: `host()` is valid inside tests and hooks. Skipped (not passed) with a
 * warning line when no emulator can be found.
 */
export function describeOnFirestoreEmulator(name: string, body: (host: () => string) => void): void {
  const search = findFirestoreEmulator();
  if (!search.found) console.warn(`[firestore] "${name}" DID NOT RUN: ${search.reason}. Its tests are reported as skipped.`);
  describe.skipIf(!search.found)(name, () => {
    let emulator: RunningEmulator | undefined;
    let host = process.env.FIRESTORE_EMULATOR_HOST;
    beforeAll(async () => {
      if (host) return assertAnswering(host);
      emulator = await startFirestoreEmulator();
      host = emulator.host;
    });
    afterAll(async () => {
      await emulator?.stop();
      // FirestoreStore.open sets it for firebase-admin; a later file in this worker must not trust it.
      if (emulator) delete process.env.FIRESTORE_EMULATOR_HOST;
    });
    body(() => {
      if (!host) throw new Error('the Firestore emulator is not started yet: call host() inside a test or hook');
      return host;
    });
  });
}

/** The contract's fixture, plus the raw client. */
export type FirestoreFixture = StoreFixture & {
  db: Firestore;
  reopen(): Promise<FirestoreFixture>;
};

/**
 * Call inside `describeOnFirestoreEmulator`. Each fixture is a fresh project on the emulator (which keeps
 * projects apart), so no test sees another's data; `reopen` is a second client on the same project.
 */
export function firestoreFixtures(host: () => string): () => Promise<FirestoreFixture> {
  const open = new Set<FirestoreStore>();
  afterAll(() => Promise.all([...open].map((store) => store.close())));
  const fixtureOn = (projectId: string): FirestoreFixture => {
    const store = FirestoreStore.open(projectId, host());
    open.add(store);
    const clock = new SettledClock();
    return {
      db: store.db,
      accounts: new FirestoreAccountRepository(store, new FirestoreAccountSends(store)),
      purges: new FirestoreAccountPurges(store, new FirestoreAccountSends(store)),
      sessions: new FirestoreSessionRepository(store),
      aliases: new FirestoreContactAliasRepository(store),
      statuses: new FirestoreMessageStatusRepository(store),
      threads: new FirestoreThreadRepository(store),
      outbox: new FirestoreOutboxRepository(store),
      accountSends: new FirestoreAccountSends(store),
      webhooks: new FirestoreWebhookEndpointRepository(store),
      accessKeys: new FirestoreAccountKeyRepository(store),
      instances: new FirestoreInstanceRegistry(store),
      mediaDownloads: new FirestoreMediaDownloads(store),
      events: new FirestoreEventLog(store, clock),
      deliveries: new FirestoreWebhookDeliveries(store),
      expireEvents: async () => {
        clock.pass(store.eventRetentionMs + 1);
        // What the TTL policy on expireAt does in production; the emulator has no TTL.
        await store.db.recursiveDelete(store.db.collection(EVENTS));
      },
      reopen: async () => fixtureOn(projectId),
      close: async () => {
        if (open.delete(store)) await store.close();
      },
    };
  };
  return async () => fixtureOn(`demo-${randomUUID().slice(0, 13)}`);
}

/** vitest `globalSetup`: one emulator for the whole run, inherited by the workers through the environment. */
export default async function setup(): Promise<(() => Promise<void>) | void> {
  if (process.env.FIRESTORE_EMULATOR_HOST || !findFirestoreEmulator().found) return;
  const emulator = await startFirestoreEmulator();
  process.env.FIRESTORE_EMULATOR_HOST = emulator.host;
  return async () => {
    delete process.env.FIRESTORE_EMULATOR_HOST;
    await emulator.stop();
  };
}

function onPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

async function waitUntilAnswering(host: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the Firestore emulator exited (${child.exitCode ?? child.signalCode}) before answering:\n${output()}`);
    }
    try {
      const answer = await fetch(`http://${host}/`, { signal: AbortSignal.timeout(1_000) });
      if (answer.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the Firestore emulator did not answer on ${host} within ${START_TIMEOUT_MS} ms:\n${output()}`);
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-child.pid!, signal);
    return true;
  } catch {
    return false; // the group is gone
  }
}

/**
 * SIGKILL to the whole group (gcloud, its shell and java): the emulator's data is in memory and thrown
 * away, and a SIGTERM'd JVM takes ~2 s to shut down. Resolves once no process of the group is left.
 */
async function stopGroup(child: ChildProcess): Promise<void> {
  if (!killGroup(child, 'SIGKILL')) return;
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (Date.now() < deadline && killGroup(child, 0)) await new Promise((resolve) => setTimeout(resolve, 20));
}
