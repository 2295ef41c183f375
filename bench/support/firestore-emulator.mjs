// Google's Cloud Firestore emulator for a bench run: `gcloud emulators firestore start` on a free
// 127.0.0.1 port, in its own process group (gcloud runs a shell that runs java), SIGKILLed whole after.
// The same steps as test/support/firestore-emulator.ts, which the bench cannot import (TypeScript).
import { spawn } from 'node:child_process';
import { freePort } from './server-process.mjs';

const START_TIMEOUT_MS = 60_000;

/** Resolves with `{ host, stop }` once the emulator answers HTTP; an existing FIRESTORE_EMULATOR_HOST is used as is. */
export async function startFirestoreEmulator() {
  if (process.env.FIRESTORE_EMULATOR_HOST) return { host: process.env.FIRESTORE_EMULATOR_HOST, stop: async () => {} };
  const host = `127.0.0.1:${await freePort()}`;
  const child = spawn('gcloud', ['emulators', 'firestore', 'start', `--host-port=${host}`], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CLOUDSDK_CORE_DISABLE_PROMPTS: '1' },
  });
  let output = '';
  const keep = (chunk) => (output = (output + chunk.toString()).slice(-4000));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let spawnError;
  child.once('error', (error) => (spawnError = error));
  const killGroup = () => {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  process.once('exit', killGroup);
  const stop = async () => {
    process.removeListener('exit', killGroup);
    killGroup();
  };
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (spawnError) throw new Error(`could not start the Firestore emulator (gcloud: ${spawnError.message}); install google-cloud-cli-firestore-emulator`);
    if (child.exitCode !== null) throw new Error(`the Firestore emulator exited (${child.exitCode}) before answering:\n${output}`);
    try {
      if ((await fetch(`http://${host}/`, { signal: AbortSignal.timeout(1_000) })).ok) return { host, stop };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await stop();
  throw new Error(`the Firestore emulator did not answer on ${host} within ${START_TIMEOUT_MS} ms:\n${output}`);
}
