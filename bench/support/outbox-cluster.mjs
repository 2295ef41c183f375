// One to several app processes (`node dist/main.js`) on one sqlite file with the zero-latency simulator,
// 30 accounts spread over them, and the way to link those accounts all at once (a simulated QR scan on
// the process that holds each), so that the outbox drain starts at a moment the bench chooses.
import path from 'node:path';
import { createRequire } from 'node:module';
import { API_KEY, createAccounts, startApp } from './app-server.mjs';

const require = createRequire(import.meta.url);
const Database = require('better-sqlite3');

/**
 * Starts `processes` apps on `sqlitePath`, each with WORKER_ID bench-w{i} and room for its share of the
 * accounts, then creates the accounts on the process that should hold them (the create call's own
 * ownership round takes the new account there). With `requireScan` the accounts wait in `qr`: accepted
 * sends stay queued (nothing is connected), and `linkAll` starts the drain.
 */
export async function startCluster({ root, sqlitePath, processes, accountIds, requireScan, probeOut, cpuProfile = false, extraEnv = {} }) {
  const capacity = Math.ceil(accountIds.length / processes);
  const servers = [];
  try {
    for (let i = 0; i < processes; i++) {
      servers.push(
        await startApp({
          root,
          name: `app ${i + 1}/${processes}`,
          sqlitePath,
          nodeArgs: ['--require', path.join(root, 'bench/support/group-commit-probe.cjs'), '--require', path.join(root, 'bench/support/outbox-stage-probe.cjs')],
          env: {
            WA_SIMULATOR_SEND_MS: '0',
            WA_SIMULATOR_FAILURE_RATE: '0',
            WA_SIMULATOR_REQUIRE_SCAN: requireScan ? 'true' : 'false',
            WA_SIMULATOR_LOG: '',
            SEND_MIN_INTERVAL_MS: '0',
            ACCOUNT_CAPACITY: String(capacity),
            WORKER_ID: `bench-w${i + 1}`,
            BENCH_PROBE_OUT: `${probeOut}-w${i + 1}`,
            BENCH_PROBE_CPU_PROFILE: cpuProfile ? '1' : '0',
            ...extraEnv,
          },
        }),
      );
    }
    for (const [i, server] of servers.entries()) await createAccounts(server.port, accountIds.slice(i * capacity, (i + 1) * capacity));
    const wanted = requireScan ? 'qr' : 'connected';
    await waitFor(`every account held and ${wanted}`, 30_000, () => accountsIn(sqlitePath, wanted) === accountIds.length);
  } catch (error) {
    for (const server of servers) console.error(`--- ${server.name} output ---\n${server.output()}`);
    await Promise.all(servers.map((server) => server.stop()));
    throw error;
  }
  return {
    servers,
    ports: servers.map((server) => server.port),
    /** What each process's group-commit probe recorded since the last dump (and a new window from now). */
    probeDumps: () => Promise.all(servers.map((server) => server.ask('bench-probe:dump', (message) => message?.benchProbe))),
    /** Per process, the stage times of the items sent since the last dump (bench/support/outbox-stage-probe.cjs). */
    stageDumps: () => Promise.all(servers.map((server) => server.ask('bench-stages:dump', (message) => message?.benchStages))),
    /** Scans every account's pending QR on the process that holds it, all at once. */
    linkAll: () => linkAll(sqlitePath, servers),
    output: () => servers.map((server) => `--- ${server.name} ---\n${server.output()}`).join('\n'),
    stop: () => Promise.all(servers.map((server) => server.stop())),
  };
}

async function linkAll(sqlitePath, servers) {
  const portOf = new Map(servers.map((server, i) => [`bench-w${i + 1}`, server.port]));
  const holders = readStore(sqlitePath, (db) => db.prepare('SELECT account_id, owner FROM accounts').all());
  await Promise.all(
    holders.map(async ({ account_id: accountId, owner }) => {
      const port = portOf.get(owner?.split('/')[0]);
      if (!port) throw new Error(`account ${accountId} is held by ${owner}, no process of this bench`);
      const response = await fetch(`http://127.0.0.1:${port}/api/whatsapp/simulator/accounts/${accountId}/scan`, {
        method: 'POST',
        headers: { 'x-api-key': API_KEY },
      });
      if (response.status !== 202) throw new Error(`scanning ${accountId}: ${response.status} ${await response.text()}`);
    }),
  );
}

function accountsIn(sqlitePath, status) {
  return readStore(sqlitePath, (db) => db.prepare('SELECT COUNT(*) AS n FROM accounts WHERE status = ? AND owner IS NOT NULL').get(status).n);
}

/** A short read-only look at the file the apps write (WAL: readers never block the writer). */
export function readStore(sqlitePath, read) {
  const db = new Database(sqlitePath, { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

export async function waitFor(what, timeoutMs, check, intervalMs = 100) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
