// The app under test as its own process (`node dist/main.js`), as bench/send.mjs, bench/outbox.mjs and
// bench/memory.mjs start it: one sqlite file, the simulator provider unless told otherwise, the per-key
// rate limiter in the path but never tripping; and the accounts a bench creates on it.
import path from 'node:path';
import { freePort, startServer } from './server-process.mjs';

export const API_KEY = 'bench-key-0123456789abcdef';

/**
 * The app's environment in every bench (the in-process one, bench/support/inbound-app.mjs, too), `env`
 * on top. The limiter's cost is part of every request, but 1,000,000/min (~16,700 req/s sustained) is
 * well above what one process accepts here.
 */
export function benchAppEnv(sqlitePath, env = {}) {
  return {
    SQLITE_PATH: sqlitePath,
    STORE: 'sqlite',
    WA_PROVIDER: 'simulator',
    API_KEYS: API_KEY,
    RATE_LIMIT_PER_MINUTE: '1000000',
    LOG_LEVEL: 'warn',
    ...env,
  };
}

/** `node [nodeArgs] dist/main.js` on a free port with benchAppEnv(sqlitePath, env); resolves once it listens. */
export async function startApp({ root, name, sqlitePath, env = {}, nodeArgs = [] }) {
  return startServer({ name, script: path.join(root, 'dist/main.js'), nodeArgs, env: benchAppEnv(sqlitePath, env), port: await freePort(), cwd: root });
}

/** Creates the accounts one after the other on the app at `port` (each create also takes the account there). */
export async function createAccounts(port, accountIds) {
  for (const accountId of accountIds) {
    const response = await fetch(`http://127.0.0.1:${port}/api/whatsapp/accounts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
      body: JSON.stringify({ accountId }),
    });
    if (response.status !== 201) throw new Error(`creating account ${accountId}: ${response.status} ${await response.text()}`);
  }
}
