#!/usr/bin/env node
// Throughput and latency of POST /api/whatsapp/send-message, the durable accept path, against a bare
// Nest + Fastify endpoint that validates the same DTO and answers 202 without a store.
//
//   npm run bench:send [-- --duration 10 --rounds 3 --warmup 5 --connections 50 --accounts 4 --record --cpu-profile --http-only]
//
// Both servers run as their own processes: the app is `node dist/main.js` on a fresh sqlite file with
// the simulator provider, the baseline bench/support/bare-app.mjs. Only one is ever under load: after a
// warm-up each, they take turns, `rounds` times `duration` seconds each, and the medians are compared
// (turns, because other work on a shared 2-core machine drifts). dist/ is rebuilt first when a file
// under src/ is newer than dist/main.js (--build forces it, --no-build skips the check).
// After the runs the app is SIGKILLed, then every 202 must be an outbox row and every outbox row a 202,
// written through a connection that was synchronous=FULL. Last, the store's ceiling: the same accept write
// with no HTTP at all, one thread in batches as large as the connections allow (every connection's send in
// each commit, the best case), as many sends as the app accepted, on a new file beside the app's: the rate
// the app could reach if everything but the store cost nothing. --http-only measures the other half: the
// accept and the identity read answered on the HTTP thread without the store (bench/support/
// stub-store-answers.cjs); such a run writes nothing, so it checks no durability and is never recorded.
// Exit status 1 on a non-2xx answer, a connection error or a durability mismatch; missing the throughput
// goal is reported, not failed.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { describeSource, ensureFreshBuild } from './support/build.mjs';
import { describeLoad, describeMachine, isTmpfs, machineLoad } from './support/machine.mjs';
import { answerProblems, sendLoad, warmUp } from './support/load.mjs';
import { checkOutbox, synchronousOfOpenSqlite } from './support/outbox-check.mjs';
import { freePort, startServer } from './support/server-process.mjs';
import { API_KEY, createAccounts, startApp } from './support/app-server.mjs';
import { describeCeiling, markdownSection, probeSummary, recordSection, resultTable, summarise } from './support/report.mjs';

const GOAL_RATIO = 0.5;
const SYNCHRONOUS_FULL = 2;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values: options } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '3' },
    warmup: { type: 'string', default: '5' },
    connections: { type: 'string', default: '50' },
    accounts: { type: 'string', default: '4' },
    build: { type: 'boolean', default: false },
    'no-build': { type: 'boolean', default: false },
    record: { type: 'boolean', default: false },
    'cpu-profile': { type: 'boolean', default: false },
    'no-probe': { type: 'boolean', default: false },
    'http-only': { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});
const settings = {
  durationSec: Number(options.duration),
  rounds: Number(options.rounds),
  warmupSec: Number(options.warmup),
  connections: Number(options.connections),
  accountIds: Array.from({ length: Number(options.accounts) }, (_, i) => `bench-account-${i + 1}`),
};
const useProbe = !options['no-probe'];
const httpOnly = options['http-only'];
if (httpOnly && options.record) {
  console.error('--http-only writes nothing, so it is never recorded: drop --record');
  process.exit(2);
}
for (const name of ['duration', 'rounds', 'warmup', 'connections', 'accounts']) {
  if (!(Number(options[name]) > 0)) {
    console.error(`--${name} must be a positive number, not ${JSON.stringify(options[name])}`);
    process.exit(2);
  }
}

const build = options['no-build'] ? { built: false } : ensureFreshBuild(root, { force: options.build });
const workDir = mkdtempSync(path.join(os.tmpdir(), 'bench-send-'));
const onTmpfs = isTmpfs(workDir);
if (onTmpfs) console.warn(`warning: ${workDir} is on tmpfs, where fsync costs nothing; the app figure will be flattered`);
const sqlitePath = path.join(workDir, 'bench.db');
const machine = describeMachine();
const source = describeSource(root);
console.log(`code: ${source}`);
console.log(`machine: ${machine.nproc} cores, ${machine.cpuModel}, ${machine.ramGiB} GiB RAM, Node ${machine.node}`);
const loadBefore = machineLoad();
console.log(`other work before starting: ${describeLoad(loadBefore)}`);
if (loadBefore.loadAverage > 0.5) console.warn('warning: the machine is not idle; the figures, the ratio too, will move with that load');
console.log(
  `load: ${settings.connections} connections; ${settings.rounds} rounds of ~${settings.durationSec} s per server after ~${settings.warmupSec} s warm-up; ` +
    `${settings.accountIds.length} accounts; store ${sqlitePath}\n`,
);

const problems = [];
const bare = { name: 'bare Nest+Fastify', tag: 'bare', runs: [] };
const app = { name: httpOnly ? 'app, store answered on the HTTP thread' : 'app (durable accept)', tag: 'app', runs: [], probes: [] };
try {
  bare.server = await startServer({ name: bare.name, script: path.join(root, 'bench/support/bare-app.mjs'), env: {}, port: await freePort(), cwd: root });
  app.server = await startApp({
    root,
    name: app.name,
    sqlitePath,
    nodeArgs: [
      ...(useProbe ? ['--require', path.join(root, 'bench/support/group-commit-probe.cjs')] : []),
      ...(httpOnly ? ['--require', path.join(root, 'bench/support/stub-store-answers.cjs')] : []),
    ],
    env: {
      // Accounts wait unlinked (in qr), so the outbox holds every send: this measures the accept path
      // alone, not the accept path plus the same process draining the outbox at the same time.
      WA_SIMULATOR_REQUIRE_SCAN: 'true',
      WORKER_ID: 'bench',
      BENCH_PROBE_OUT: path.join(workDir, 'probe'),
      BENCH_PROBE_CPU_PROFILE: options['cpu-profile'] ? '1' : '0',
    },
  });
  await createAccounts(app.server.port, settings.accountIds);
  for (const target of [bare, app]) {
    target.warmup = await warmUp(loadFor(target, 'w'), settings.warmupSec);
    target.rate = target.warmup.requestsPerSecond;
    problems.push(...answerProblems(`${target.name} warm-up`, target.warmup));
  }
  for (let round = 1; round <= settings.rounds; round++) {
    for (const target of [bare, app]) {
      // A fixed count of answers sized to take ~duration (see sendLoad for why not a timed run).
      const amount = Math.max(settings.connections * 10, Math.round(target.rate * settings.durationSec));
      if (target === app && useProbe) await probeDump(app.server); // the probe's window: this round only
      const run = await sendLoad({ ...loadFor(target, `r${round}-`), amount });
      target.rate = run.requestsPerSecond;
      target.runs.push(run);
      problems.push(...answerProblems(`${target.name} round ${round}`, run));
      if (target === app && useProbe) app.probes.push(await probeDump(app.server));
      console.log(`round ${round} ${target.name}: ${run.requestsPerSecond.toFixed(0)} req/s, p50 ${run.p50Ms} ms, p99 ${run.p99Ms} ms`);
    }
  }
} catch (error) {
  for (const target of [bare, app]) if (target.server) console.error(`--- ${target.name} output ---\n${target.server.output()}`);
  throw error;
} finally {
  await bare.server?.stop();
  // Killed, not shut down: what the file holds now is what a crash right after the last 202 would leave.
  await app.server?.stop('SIGKILL');
}

const loadAfter = machineLoad();
console.log(`other work (and this bench) at the end: ${describeLoad(loadAfter)}`);

const rows = [summarise(bare), summarise(app)];
const ratio = rows[1].requestsPerSecond / rows[0].requestsPerSecond;
const roundRatios = app.runs.map((run, i) => run.requestsPerSecond / bare.runs[i].requestsPerSecond);
const probe = probeSummary(app.probes, app.runs.reduce((sum, run) => sum + run.accepted.size, 0));
// --http-only wrote nothing: no durability to check, no ceiling to compare, nothing to record.
const outcome = httpOnly ? null : durableOutcome();

console.log(`\n${resultTable(rows)}`);
const perRound = `per round ${roundRatios.map((r) => r.toFixed(2)).join(' ')}`;
if (outcome) {
  console.log(`\nratio app/bare (medians): ${ratio.toFixed(2)}, ${perRound} (goal >= ${GOAL_RATIO}: ${outcome.goalMet ? 'met' : 'NOT met'})`);
  console.log(`durability: ${outcome.durability}`);
  console.log(`store ceiling: ${describeCeiling(outcome.ceiling)}`);
} else {
  console.log(`\nratio (the HTTP path alone, nothing written): ${ratio.toFixed(2)}, ${perRound}`);
}
// With nothing written, only the threads' busy share and the CPU per send say anything.
const probeLines = probe?.lines.filter((line) => !httpOnly || /busy|CPU/.test(line)) ?? [];
if (probeLines.length > 0) console.log(probeLines.map((line) => `  ${line}`).join('\n'));
const profile = app.probes.at(-1)?.cpuProfile;
if (profile) console.log(`CPU profile of the app's last round, main thread: ${profile} (summary: node bench/support/cpu-profile-summary.mjs ${profile})`);
const storeProfile = app.probes.at(-1)?.storeCpuProfile;
if (storeProfile) console.log(`... and its sqlite store worker: ${storeProfile}`);

if (options.record && problems.length > 0) console.error('\nnot recorded in docs/BENCHMARKS.md: the run failed (below)');
if (options.record && problems.length === 0) {
  const args = process.argv.slice(2).filter((arg) => arg !== '--record');
  const command = ['npm run bench:send', ...(args.length ? ['--', ...args] : [])].join(' ');
  recordSection(path.join(root, 'docs/BENCHMARKS.md'), markdownSection({ command, source, settings, machine, onTmpfs, build, rows, outcome, probe, load: { before: describeLoad(loadBefore), after: describeLoad(loadAfter) } }));
  console.log('\nrecorded in docs/BENCHMARKS.md');
}

if (problems.length > 0) {
  console.error(`\nFAILED:\n  ${problems.join('\n  ')}\n(files kept in ${workDir})`);
  process.exit(1);
}
if (!options.keep && !profile) rmSync(workDir, { recursive: true, force: true });

/** Every 202 the app gave (warm-up and rounds) against the rows in the file it wrote; then the store's ceiling. */
function durableOutcome() {
  const accepted = new Map([...app.warmup.accepted, ...app.runs.flatMap((run) => [...run.accepted])]);
  const outbox = checkOutbox(sqlitePath, accepted);
  problems.push(...outbox.problems);
  const synchronousOpened = synchronousOfOpenSqlite(sqlitePath);
  if (synchronousOpened !== SYNCHRONOUS_FULL) problems.push(`openSqlite (dist) opens with synchronous=${synchronousOpened}, not FULL (2)`);
  if (probe && probe.synchronous !== SYNCHRONOUS_FULL) problems.push(`the app's live connection ran with synchronous=${probe.synchronous}, not FULL (2)`);
  const ceiling = storeCeiling(accepted.size);
  return {
    ratio,
    roundRatios,
    goal: GOAL_RATIO,
    goalMet: ratio >= GOAL_RATIO,
    ceiling: {
      ...ceiling,
      perSecond: 1e6 / ceiling.wallUsPerSend,
      ofBare: 1e6 / ceiling.wallUsPerSend / rows[0].requestsPerSecond,
      goalPerSecond: GOAL_RATIO * rows[0].requestsPerSecond,
    },
    durability:
      `outbox rows ${outbox.outboxRows} = 202 answers ${accepted.size} (warm-up ${app.warmup.accepted.size}, rounds ${accepted.size - app.warmup.accepted.size}); ` +
      `PRAGMA synchronous ${probe ? `${probe.synchronous} on the app's live connection (read by the probe), ` : ''}${synchronousOpened} on a connection from dist openSqlite`,
  };
}

/** bench/support/store-accept-only.mjs as this run's ceiling (see the header). */
function storeCeiling(sends) {
  const output = execFileSync(process.execPath, [path.join(root, 'bench/support/store-accept-only.mjs'), String(sends), String(settings.connections), '--json'], {
    cwd: root,
    env: { ...process.env, DIR: workDir },
    encoding: 'utf8',
  });
  return JSON.parse(output.trim().split('\n').at(-1));
}

function loadFor(target, runTag) {
  return { port: target.server.port, apiKey: API_KEY, accounts: settings.accountIds, connections: settings.connections, runTag: `${target.tag}-${runTag}` };
}

/** What the probe in the app recorded since it was last asked (bench/support/group-commit-probe.cjs). */
function probeDump(server) {
  return server.ask('bench-probe:dump', (message) => message?.benchProbe);
}
