#!/usr/bin/env node
// Throughput and latency of POST /api/whatsapp/send-message, the durable accept path, against a bare
// Nest + Fastify endpoint that validates the same DTO and answers 202 without a store.
//
//   npm run bench:send [-- --duration 10 --warmup 3 --connections 50 --accounts 4 --record --cpu-profile]
//
// Each server runs as its own process (the app: `node dist/main.js` on a fresh sqlite file, simulator
// provider), one after the other, never at once. The app's dist/ is rebuilt first when a file under src/
// is newer than dist/main.js (--build forces it, --no-build skips the check). After the app run, every
// 202 must be an outbox row and every outbox row a 202, on a connection that was synchronous=FULL.
// Exit status 1 on a non-2xx answer, a connection error or a durability mismatch; missing the
// throughput goal is reported, not failed.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { describeMachine, isTmpfs } from './support/machine.mjs';
import { answerProblems, sendLoad } from './support/load.mjs';
import { checkOutbox, synchronousOfOpenSqlite } from './support/outbox-check.mjs';
import { freePort, startServer } from './support/server-process.mjs';
import { markdownTable, probeSummary, recordSection, resultTable } from './support/report.mjs';

const GOAL_RATIO = 0.5;
const SYNCHRONOUS_FULL = 2;
const API_KEY = 'bench-key-0123456789abcdef';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values: options } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
    connections: { type: 'string', default: '50' },
    accounts: { type: 'string', default: '4' },
    build: { type: 'boolean', default: false },
    'no-build': { type: 'boolean', default: false },
    record: { type: 'boolean', default: false },
    'cpu-profile': { type: 'boolean', default: false },
    'no-probe': { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});
const durationSec = Number(options.duration);
const warmupSec = Number(options.warmup);
const connections = Number(options.connections);
const accountIds = Array.from({ length: Number(options.accounts) }, (_, i) => `bench-account-${i + 1}`);

ensureBuild();
const workDir = mkdtempSync(path.join(os.tmpdir(), 'bench-send-'));
if (isTmpfs(workDir)) console.warn(`warning: ${workDir} is on tmpfs, where fsync costs nothing; the app figure will be flattered`);
const sqlitePath = path.join(workDir, 'bench.db');
const probeOut = path.join(workDir, 'probe');
const machine = describeMachine();
console.log(`machine: ${machine.nproc} cores, ${machine.cpuModel}, ${machine.ramGiB} GiB RAM, Node ${machine.node}`);
console.log(`load: ${connections} connections, ~${durationSec} s measured after ~${warmupSec} s warm-up, ${accountIds.length} accounts; store ${sqlitePath}\n`);

const problems = [];
const bare = await measure({
  name: 'bare Nest+Fastify',
  script: path.join(root, 'bench/support/bare-app.mjs'),
  env: {},
});
const app = await measure({
  name: 'app (durable accept)',
  script: path.join(root, 'dist/main.js'),
  nodeArgs: options['no-probe'] ? [] : ['--require', path.join(root, 'bench/support/group-commit-probe.cjs')],
  env: {
    SQLITE_PATH: sqlitePath,
    STORE: 'sqlite',
    WA_PROVIDER: 'simulator',
    API_KEYS: API_KEY,
    LOG_LEVEL: 'warn',
    WORKER_ID: 'bench',
    BENCH_PROBE_OUT: probeOut,
    BENCH_PROBE_CPU_PROFILE: options['cpu-profile'] ? '1' : '0',
  },
  prepare: createAccounts,
  probe: !options['no-probe'],
});
problems.push(...answerProblems(bare.name, bare.run), ...answerProblems(app.name, app.run));

// Durability: every 202 of both app runs (warm-up and measured) against the rows in the file.
const accepted = new Map([...app.warmup.accepted, ...app.run.accepted]);
const outbox = checkOutbox(sqlitePath, accepted);
problems.push(...outbox.problems);
const synchronousOpened = synchronousOfOpenSqlite(sqlitePath);
const probe = probeSummary(app.probe);
const synchronousLive = probe?.synchronous;
if (synchronousOpened !== SYNCHRONOUS_FULL) problems.push(`openSqlite (dist) opens with synchronous=${synchronousOpened}, not FULL (2)`);
if (synchronousLive !== undefined && synchronousLive !== SYNCHRONOUS_FULL) problems.push(`the app's live connection ran with synchronous=${synchronousLive}, not FULL (2)`);

const runs = [
  { name: bare.name, run: bare.run },
  { name: app.name, run: app.run },
];
const ratio = app.run.requestsPerSecond / bare.run.requestsPerSecond;
const goalMet = ratio >= GOAL_RATIO;
const durability =
  `outbox rows ${outbox.outboxRows} = 202 answers ${accepted.size} (warm-up ${app.warmup.accepted.size} + measured ${app.run.accepted.size}); ` +
  `synchronous=${synchronousLive ?? '(probe off)'} on the app's live connection, ${synchronousOpened} through dist openSqlite`;

console.log(resultTable(runs));
console.log(`\nratio app/bare: ${ratio.toFixed(2)} (goal >= ${GOAL_RATIO}: ${goalMet ? 'met' : 'NOT met'})`);
console.log(`durability: ${durability}`);
if (probe) console.log(probe.lines.map((line) => `  ${line}`).join('\n'));
if (app.profile) console.log(`cpu profile of the measured app run: ${app.profile}`);

if (options.record) {
  const command = `npm run bench:send -- ${process.argv.slice(2).filter((arg) => arg !== '--record').join(' ')}`.trim();
  recordSection(
    path.join(root, 'docs/BENCHMARKS.md'),
    [
      `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC with \`${command.replace(/ --$/, '')}\`` +
        ` (${connections} connections, ${app.run.requests} / ${bare.run.requests} requests in ~${durationSec} s after ~${warmupSec} s warm-up, ${accountIds.length} accounts).`,
      '',
      `Machine: ${machine.nproc} cores (\`nproc\`), ${machine.cpuModel}, ${machine.ramGiB} GiB RAM, Node ${machine.node}, ${machine.os}; ` +
        `store on ${isTmpfs(workDir) ? 'tmpfs (fsync free!)' : 'disk'}; load generator on the same machine.`,
      '',
      markdownTable(runs),
      '',
      `Ratio app/bare: **${ratio.toFixed(2)}** (goal >= ${GOAL_RATIO}: ${goalMet ? 'met' : '**not met**'}).`,
      '',
      `Durability: ${durability}.`,
      ...(probe ? ['', 'Probe (bench/support/group-commit-probe.cjs, measured run):', '', ...probe.lines.map((line) => `- ${line}`)] : []),
    ].join('\n'),
  );
  console.log('\nrecorded in docs/BENCHMARKS.md');
}

if (problems.length > 0) {
  console.error(`\nFAILED:\n  ${problems.join('\n  ')}\n(files kept in ${workDir})`);
  process.exit(1);
}
if (!options.keep && !options['cpu-profile']) rmSync(workDir, { recursive: true, force: true });

/** Start, warm up, measure, stop: one server at a time. */
async function measure({ name, script, nodeArgs = [], env, prepare, probe = false }) {
  const port = await freePort();
  const server = await startServer({ name, script, nodeArgs, env, port, cwd: root });
  try {
    if (prepare) await prepare(port);
    const tag = name.split(' ')[0];
    // The warm-up lets V8 optimise and sizes the measured run: a fixed count of answers (see sendLoad)
    // that should take about `duration` seconds at the warm-up's rate.
    const first = await sendLoad({ port, apiKey: API_KEY, accounts: accountIds, connections, amount: connections * 20, runTag: `${tag}-w1` });
    const warmup = await sendLoad({
      port,
      apiKey: API_KEY,
      accounts: accountIds,
      connections,
      amount: Math.max(connections * 10, Math.round(first.requestsPerSecond * warmupSec)),
      runTag: `${tag}-w2`,
    });
    warmup.accepted = new Map([...first.accepted, ...warmup.accepted]);
    problems.push(...answerProblems(`${name} warm-up`, { ...warmup, requests: first.requests + warmup.requests, statusCounts: mergeCounts(first, warmup), non2xx: first.non2xx + warmup.non2xx, errors: first.errors + warmup.errors }));
    if (probe) await probeDump(server);
    const amount = Math.max(connections * 10, Math.round(warmup.requestsPerSecond * durationSec));
    const run = await sendLoad({ port, apiKey: API_KEY, accounts: accountIds, connections, amount, runTag: `${tag}-m` });
    const measured = { name, run, warmup };
    if (probe) {
      measured.probe = await probeDump(server);
      measured.profile = measured.probe.cpuProfile;
    }
    return measured;
  } catch (error) {
    console.error(server.output());
    throw error;
  } finally {
    await server.stop();
  }
}

function mergeCounts(...runs) {
  const counts = {};
  for (const run of runs) for (const [code, n] of Object.entries(run.statusCounts)) counts[code] = (counts[code] ?? 0) + n;
  return counts;
}

/** Asks the probe in the app for what it recorded since it was last asked. */
function probeDump(server) {
  return server.ask('bench-probe:dump', (message) => message?.benchProbe);
}

async function createAccounts(port) {
  for (const accountId of accountIds) {
    const response = await fetch(`http://127.0.0.1:${port}/api/whatsapp/accounts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
      body: JSON.stringify({ accountId }),
    });
    if (response.status !== 201) throw new Error(`creating account ${accountId}: ${response.status} ${await response.text()}`);
  }
}

/** dist/ must be the compiled src/: rebuild when a source file is newer than the last build. */
function ensureBuild() {
  if (options['no-build']) return;
  const built = path.join(root, 'dist/main.js');
  const stale = options.build || !existsSync(built) || newestMtime(path.join(root, 'src')) > statSync(built).mtimeMs;
  if (!stale) return;
  console.log('building dist/ (npm run build)...');
  try {
    execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
  } catch {
    // tsc emits despite type errors (no noEmitOnError), so dist/ is still the compiled src/.
    if (!existsSync(built)) throw new Error('npm run build produced no dist/main.js');
    console.warn('warning: npm run build reported type errors (above); tsc emitted dist/ anyway, measuring that\n');
  }
}

function newestMtime(directory) {
  let newest = 0;
  for (const entry of readdirSync(directory, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path.join(entry.parentPath ?? entry.path, entry.name)).mtimeMs);
  }
  return newest;
}
