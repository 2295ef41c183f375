import { freePort } from './server-process';
import { ChildProcess, fork } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe } from 'vitest';

/**
 * firebase-tools' Cloud Storage emulator for a spec, in a child process (storage-emulator-child.js says
 * why not through its CLI) on a free 127.0.0.1 port; firebase-admin finds it through
 * FIREBASE_STORAGE_EMULATOR_HOST. Each child gets its own TMPDIR: the emulator keeps its bytes under
 * `{tmpdir}/firebase/storage/blobs` and deletes that directory when it stops, which two emulators at once
 * would otherwise share. Where it cannot start, the suite says why on one line and is reported skipped,
 * never passed.
 */

const START_TIMEOUT_MS = 60_000;
const EMULATOR_MODULE = join(__dirname, '../../node_modules/firebase-tools/lib/emulator/storage/index.js');

export interface RunningStorageEmulator {
  /** `127.0.0.1:PORT`, the form FIREBASE_STORAGE_EMULATOR_HOST takes. */
  host: string;
  /** "started", or why the rules runtime was not run. */
  rulesRuntime: string;
  stop(): Promise<void>;
}

export async function startStorageEmulator(projectId: string): Promise<RunningStorageEmulator> {
  const port = await freePort();
  const scratch = mkdtempSync(join(tmpdir(), 'wa-storage-emulator-'));
  const child = fork(join(__dirname, 'storage-emulator-child.js'), [String(port), projectId], {
    env: { ...process.env, TMPDIR: scratch },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const stop = async () => {
    process.removeListener('exit', killOnExit);
    await ended(child);
    rmSync(scratch, { recursive: true, force: true });
  };
  try {
    const rulesRuntime = await ready(child, () => output);
    return { host: `127.0.0.1:${port}`, rulesRuntime, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * `describe` on a Storage emulator of its own, `host()` valid inside tests and hooks. Without firebase-tools
 * the suite is skipped, saying so on one line; when the emulator is there but fails to start, every test
 * fails with the reason rather than passing.
 */
export function describeOnStorageEmulator(name: string, projectId: string, body: (host: () => string) => void): void {
  const missing = existsSync(EMULATOR_MODULE) ? null : `${EMULATOR_MODULE} is not there (npm firebase-tools)`;
  if (missing) console.warn(`[storage] "${name}" DID NOT RUN: ${missing}. Its tests are reported as skipped.`);
  describe.skipIf(missing !== null)(name, () => {
    let emulator: RunningStorageEmulator | undefined;
    beforeAll(async () => {
      emulator = await startStorageEmulator(projectId);
      process.env.FIREBASE_STORAGE_EMULATOR_HOST = emulator.host;
      console.warn(`[storage] the emulator's rules runtime is ${emulator.rulesRuntime} (the JSON API firebase-admin speaks is served without rules)`);
    });
    afterAll(async () => {
      delete process.env.FIREBASE_STORAGE_EMULATOR_HOST;
      delete process.env.STORAGE_EMULATOR_HOST;
      await emulator?.stop();
    });
    body(() => {
      if (!emulator) throw new Error('the Storage emulator is not started yet: call host() inside a test or hook');
      return emulator.host;
    });
  });
}

function ready(child: ChildProcess, output: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the Storage emulator did not start within ${START_TIMEOUT_MS} ms:\n${output()}`)), START_TIMEOUT_MS);
    child.once('message', (message: { ready?: boolean; rulesRuntime?: string; failed?: string }) => {
      clearTimeout(timer);
      if (message.ready) resolve(message.rulesRuntime!);
      else reject(new Error(`the Storage emulator failed to start: ${message.failed}\n${output()}`));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the Storage emulator exited (${code ?? signal}) before starting:\n${output()}`));
    });
  });
}

/** Disconnecting lets the child stop the emulator (it deletes its bytes); SIGKILL if it takes over 5 s. */
async function ended(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  if (child.connected) child.disconnect();
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}
