#!/usr/bin/env node
// One process holding 30, 100 and 300 simulated accounts: resident memory against the account count (its
// slope per account, and whether it is linear), and how evenly the outbox drains a backlog spread over
// every account (issue 18).
//
//   npm run bench:scale [-- --accounts 30,100,300 --per-account 100 --seconds 10 --settle 3 --record]
//
// For each count, a fresh `node dist/main.js` on its own sqlite file, the simulator with every account
// waiting for its QR (WA_SIMULATOR_REQUIRE_SCAN), pacing off, bench/support/memory-probe.cjs preloaded:
// - `per-account` sends accepted for every account through the API while nothing is connected (they queue);
// - every account scanned at once, so the drain starts over the whole backlog;
// - fairness: each account's sent count is read once the last account is connected, and again once half
//   the backlog more is sent; over that window, the largest account's share over the smallest's (goal
//   <= 1.2). The window leaves out the start (accounts connect one after the other) and the tail
//   (accounts run out of work at different times);
// - RSS sampled once a second over `seconds` with every account connected, after the drain (quiet).
// Goal: 300 accounts within 1.5 GiB, growing linearly. Missing a goal is reported, not failed.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { API_KEY, createAccounts, startApp } from './support/app-server.mjs';
import { COMMON_OPTIONS, finishBench, recordedCommand, startBench } from './support/bench-run.mjs';
import { answerProblems, sendLoad } from './support/load.mjs';
import { describeLoad, machineLoad } from './support/machine.mjs';
import { sampleMemory } from './support/memory-sampler.mjs';
import { readStore, waitFor } from './support/outbox-cluster.mjs';
import { fixed, gitDescribe, machineLine, recordMarkedSection, utcNow } from './support/outbox-report.mjs';
import { waitForDrain } from './support/outbox-store.mjs';

const GOAL_MIB_AT_300 = 1536;
const GOAL_FAIRNESS = 1.2;

const { values: options } = parseArgs({
  options: {
    accounts: { type: 'string', default: '30,100,300' },
    'per-account': { type: 'string', default: '100' },
    seconds: { type: 'string', default: '10' },
    settle: { type: 'string', default: '3' },
    ...COMMON_OPTIONS,
  },
});
const counts = options.accounts.split(',').map(Number);
if (counts.some((n) => !Number.isInteger(n) || n < 2)) throw new Error(`--accounts: a comma-separated list of account counts (2 or more each), got "${options.accounts}"`);
const perAccount = Number(options['per-account']);
const seconds = Number(options.seconds);
const settleMs = Number(options.settle) * 1000;

// RSS and the drain's shares do not depend on fsync; other work moves neither much.
const { root, workDir, onTmpfs, machine, loadBefore } = startBench('scale', options, { fsyncMatters: false, loadMatters: false });
const problems = [];
const rows = [];
for (const accounts of counts) rows.push(await measure(accounts));
const loadAfter = machineLoad();

const fit = linearFit(rows.map((r) => [r.accounts, r.rss.avg]));
const steps = rows.slice(1).map((r, i) => (r.rss.avg - rows[i].rss.avg) / (r.accounts - rows[i].accounts));
const table = [
  '| accounts | sends drained | drain time | sent per s | fairness (largest / smallest share over half the drain) | RSS quiet min / mean / max | peak RSS | heap live after GC | store worker heap live |',
  '|---:|---:|---:|---:|---:|---|---:|---:|---:|',
  ...rows.map(
    (r) =>
      `| ${r.accounts} | ${r.sends} | ${fixed(r.drainSeconds, 1)} s | ${fixed(r.sends / r.drainSeconds)} | **${fixed(r.fairness, 2)}** (${r.smallest} .. ${r.largest}) | ` +
      `${fixed(r.rss.min)} / ${fixed(r.rss.avg)} / ${fixed(r.rss.max)} MiB | ${fixed(r.rss.peak)} MiB | ${fixed(r.rss.heapLive)} MiB | ${fixed(r.rss.storeHeapLive)} MiB |`,
  ),
];
const at300 = rows.find((r) => r.accounts === 300);
const verdicts = [
  `RSS per account: ${fixed(fit.slope, 2)} MiB (least squares over ${rows.length} counts, intercept ${fixed(fit.intercept)} MiB, R² ${fixed(fit.r2, 3)}); ` +
    `step by step ${steps.map((s) => `${fixed(s, 2)}`).join(', ')} MiB per account`,
  at300
    ? `300 accounts: peak ${fixed(at300.rss.peak)} MiB; goal <= ${GOAL_MIB_AT_300} MiB: ${at300.rss.peak <= GOAL_MIB_AT_300 ? 'met' : '**not met**'}`
    : '300 accounts: not measured in this run',
  `fairness: worst ${fixed(Math.max(...rows.map((r) => r.fairness)), 2)}; goal <= ${GOAL_FAIRNESS}: ${rows.every((r) => r.fairness <= GOAL_FAIRNESS) ? 'met' : '**not met**'}`,
];
console.log(`\n${table.join('\n')}\n\n${verdicts.join('\n')}`);
console.log(`other work (and this bench) at the end: ${describeLoad(loadAfter)}`);

if (options.record) {
  const body = [
    `Last recorded ${utcNow()} with \`${recordedCommand('scale')}\`; git ${gitDescribe(root)}.`,
    '',
    `${machineLine(machine, onTmpfs)} Other work on the machine: before the run ${describeLoad(loadBefore)}; at its end ${describeLoad(loadAfter)}.`,
    '',
    `One \`node dist/main.js\` per count, sqlite, simulator, pacing off. ${perAccount} sends per account accepted while every account waited for its QR, ` +
      'then every account scanned at once; fairness over half the backlog from the moment the last account connected; RSS from `/proc/{pid}/status` once a second over ' +
      `${seconds} s with every account connected, once the drain was over.`,
    '',
    ...table,
    '',
    ...verdicts.map((line) => `- ${line}`),
  ].join('\n');
  recordMarkedSection(path.join(root, 'docs/BENCHMARKS.md'), { key: 'scale', title: 'Accounts at scale (`npm run bench:scale`)', command: 'npm run bench:scale', body });
  console.log('\nrecorded in docs/BENCHMARKS.md');
}

finishBench({ problems, workDir, keep: options.keep });

async function measure(accounts) {
  const sqlitePath = path.join(workDir, `scale-${accounts}.db`);
  const accountIds = Array.from({ length: accounts }, (_, i) => `scale-${String(i + 1).padStart(3, '0')}`);
  console.log(`\n${accounts} accounts`);
  const server = await startApp({
    root,
    name: `scale-${accounts}`,
    sqlitePath,
    nodeArgs: ['--expose-gc', '--require', path.join(root, 'bench/support/memory-probe.cjs')],
    env: {
      WA_SIMULATOR_SEND_MS: '0',
      WA_SIMULATOR_FAILURE_RATE: '0',
      WA_SIMULATOR_REQUIRE_SCAN: 'true',
      WA_SIMULATOR_LOG: '',
      SEND_MIN_INTERVAL_MS: '0',
      ACCOUNT_CAPACITY: String(accounts),
      LOG_LEVEL: 'error',
      WORKER_ID: `bench-scale-${accounts}`,
    },
  });
  try {
    await createAccounts(server.port, accountIds);
    await waitFor(`all ${accounts} accounts waiting for a QR`, 60_000, () => countIn(sqlitePath, 'qr') === accounts);
    const sends = accounts * perAccount;
    // Round robin over the accounts: each gets exactly perAccount.
    const load = await sendLoad({ port: server.port, apiKey: API_KEY, accounts: accountIds, connections: 32, amount: sends, runTag: `scale${accounts}` });
    problems.push(...answerProblems(`${accounts} accounts, sends`, load));
    const started = Date.now();
    await scanAll(server.port, accountIds);
    await waitFor(`all ${accounts} accounts connected`, 60_000, () => countIn(sqlitePath, 'connected') === accounts, 20);
    const atConnected = await sentPerAccountOnce(sqlitePath, 0);
    const sentAtConnected = [...atConnected.values()].reduce((sum, n) => sum + n, 0);
    if (sentAtConnected > sends / 2) problems.push(`${accounts} accounts: ${sentAtConnected} of ${sends} sent before the last account connected; raise --per-account`);
    const later = await sentPerAccountOnce(sqlitePath, sentAtConnected + sends / 2);
    await waitForDrain(sqlitePath);
    const drainSeconds = (Date.now() - started) / 1000;
    const shares = accountIds.map((id) => (later.get(id) ?? 0) - (atConnected.get(id) ?? 0));
    const smallest = Math.min(...shares);
    const largest = Math.max(...shares);
    const fairness = smallest > 0 ? largest / smallest : Infinity;
    console.log(`  drained ${sends} sends in ${fixed(drainSeconds, 1)} s; shares over half the backlog, from the last connect: ${smallest} .. ${largest} (${fixed(fairness, 2)})`);
    await new Promise((resolve) => setTimeout(resolve, settleMs));
    const rss = await sampleMemory(server, { seconds });
    console.log(`  quiet, all connected: RSS ${fixed(rss.min)} / ${fixed(rss.avg)} / ${fixed(rss.max)} MiB, peak ${fixed(rss.peak)} MiB, heap live after GC ${fixed(rss.heapLive)} MiB`);
    if (countIn(sqlitePath, 'connected') !== accounts) problems.push(`${accounts} accounts: only ${countIn(sqlitePath, 'connected')} connected at the end`);
    return { accounts, sends, drainSeconds, fairness, smallest, largest, rss };
  } catch (error) {
    console.error(server.output());
    throw error;
  } finally {
    await server.stop();
  }
}

/** Every account's pending QR scanned, 32 at a time. */
async function scanAll(port, accountIds) {
  let next = 0;
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      for (let i = next++; i < accountIds.length; i = next++) {
        const response = await fetch(`http://127.0.0.1:${port}/api/whatsapp/simulator/accounts/${accountIds[i]}/scan`, { method: 'POST', headers: { 'x-api-key': API_KEY } });
        if (response.status !== 202) throw new Error(`scanning ${accountIds[i]}: ${response.status} ${await response.text()}`);
      }
    }),
  );
}

/** Each account's sent count, read the first time the total reaches `total`. */
async function sentPerAccountOnce(sqlitePath, total) {
  for (;;) {
    const rows = readStore(sqlitePath, (db) => db.prepare("SELECT account_id AS accountId, COUNT(*) AS n FROM outbox WHERE status = 'sent' GROUP BY account_id").all());
    if (rows.reduce((sum, r) => sum + r.n, 0) >= total) return new Map(rows.map((r) => [r.accountId, r.n]));
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function countIn(sqlitePath, status) {
  return readStore(sqlitePath, (db) => db.prepare('SELECT COUNT(*) AS n FROM accounts WHERE status = ?').get(status).n);
}

/** Least squares y = slope x + intercept, with R². */
function linearFit(points) {
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const sxy = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const sxx = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  const ssTotal = points.reduce((s, [, y]) => s + (y - my) ** 2, 0);
  const ssResidual = points.reduce((s, [x, y]) => s + (y - (slope * x + intercept)) ** 2, 0);
  return { slope, intercept, r2: ssTotal === 0 ? 1 : 1 - ssResidual / ssTotal };
}
