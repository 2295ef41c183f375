#!/usr/bin/env node
// Outbox drain rate and steady accept-to-sent latency, on sqlite with the zero-latency simulator and
// pacing off (WA_SIMULATOR_SEND_MS=0, SEND_MIN_INTERVAL_MS=0), 30 accounts.
//
//   npm run bench:outbox [-- --items 30000 --processes 1,3 --rate 500 --seconds 10 --record --cpu-profile]
//
// Drain: `processes` x `node dist/main.js` on a fresh sqlite file, with WA_SIMULATOR_REQUIRE_SCAN=true so
// the 30 accounts are held but wait in `qr`; `items` sends are accepted through the API (bench/support/
// load.mjs: spread over the accounts and 500 recipients) and stay queued, since nothing is connected.
// Then every account's QR is scanned at once (the simulator route, on the process holding it) and the
// clock runs from those scans until the store holds no open item. The drain rate is items / that time.
// Steady: 1 process with the accounts connected; sends at a fixed `rate` (open loop) for `warmup` then
// `seconds` seconds; the latency of each measured message is its `sent_at - created_at` in the store.
// Goal (issue 5): >= 2,000 items/s drained by one process, p99 < 50 ms at 500/s. A missed goal is
// reported, not failed; a lost, failed or twice-claimed item fails the run (exit 1).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { ensureFreshBuild } from './support/build.mjs';
import { answerProblems, sendLoad } from './support/load.mjs';
import { describeLoad, describeMachine, isTmpfs, machineLoad } from './support/machine.mjs';
import { API_KEY, startCluster } from './support/outbox-cluster.mjs';
import { pacedSends } from './support/outbox-paced.mjs';
import { drainTable, fixed, machineLine, peakRate, probeLines, recordMarkedSection, steadyTable, utcNow } from './support/outbox-report.mjs';
import { acceptToSent, drainOutcome, openItems, percentiles, waitForDrain } from './support/outbox-store.mjs';

const DRAIN_GOAL = 2000;
const P99_GOAL_MS = 50;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values: options } = parseArgs({
  options: {
    items: { type: 'string', default: '30000' },
    accounts: { type: 'string', default: '30' },
    processes: { type: 'string', default: '1,3' },
    rate: { type: 'string', default: '500' },
    seconds: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
    recipients: { type: 'string', default: '500' },
    'steady-processes': { type: 'string', default: '1' },
    connections: { type: 'string', default: '50' },
    'skip-drain': { type: 'boolean', default: false },
    'skip-steady': { type: 'boolean', default: false },
    build: { type: 'boolean', default: false },
    'no-build': { type: 'boolean', default: false },
    record: { type: 'boolean', default: false },
    'cpu-profile': { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});
const settings = {
  items: Number(options.items),
  accountIds: Array.from({ length: Number(options.accounts) }, (_, i) => `bench-account-${String(i + 1).padStart(2, '0')}`),
  processes: options.processes.split(',').map(Number),
  rate: Number(options.rate),
  seconds: Number(options.seconds),
  warmup: Number(options.warmup),
  recipients: Number(options.recipients),
  steadyProcesses: options['steady-processes'].split(',').map(Number),
  connections: Number(options.connections),
};

const build = options['no-build'] ? { built: false } : ensureFreshBuild(root, { force: options.build });
const workDir = mkdtempSync(path.join(os.tmpdir(), 'bench-outbox-'));
const onTmpfs = isTmpfs(workDir);
if (onTmpfs) console.warn(`warning: ${workDir} is on tmpfs, where fsync costs nothing; the figures will be flattered`);
const machine = describeMachine();
console.log(`machine: ${machine.nproc} cores, ${machine.cpuModel}, ${machine.ramGiB} GiB RAM, Node ${machine.node}`);
const loadBefore = machineLoad();
console.log(`other work before starting: ${describeLoad(loadBefore)}`);
if (loadBefore.loadAverage > 0.5) console.warn('warning: the machine is not idle; the figures will move with that load');

const problems = [];
const drains = [];
const steadies = [];
const profiles = [];

if (!options['skip-drain']) {
  for (const processes of settings.processes) drains.push(await measureDrain(processes));
}
if (!options['skip-steady']) {
  for (const processes of settings.steadyProcesses) steadies.push(await measureSteady(processes));
}
const loadAfter = machineLoad();
console.log(`\nother work (and this bench) at the end: ${describeLoad(loadAfter)}`);

const drainRows = drainTable(drains);
const steadyRows = steadyTable(steadies);
const oneProcess = drains.find((d) => d.processes === 1);
const steadyOne = steadies.find((s) => s.processes === 1);
const verdicts = [
  ...(oneProcess ? [`drain by one process ${fixed(oneProcess.rateFromLink)} items/s, goal >= ${DRAIN_GOAL}: ${oneProcess.rateFromLink >= DRAIN_GOAL ? 'met' : '**not met**'}`] : []),
  ...(steadyOne ? [`p99 accept → sent at ${settings.rate}/s ${steadyOne.p[0.99]} ms, goal < ${P99_GOAL_MS} ms: ${steadyOne.p[0.99] < P99_GOAL_MS ? 'met' : '**not met**'}`] : []),
];
if (drains.length) console.log(`\n${drainRows.join('\n')}`);
if (steadies.length) console.log(`\n${steadyRows.join('\n')}`);
console.log(`\n${verdicts.join('\n')}`);
for (const profile of profiles) console.log(`CPU profile: ${profile} (summary: node bench/support/cpu-profile-summary.mjs ${profile})`);

if (options.record) {
  const args = process.argv.slice(2).filter((arg) => arg !== '--record');
  const command = ['npm run bench:outbox', ...(args.length ? ['--', ...args] : [])].join(' ');
  const body = [
    `Last recorded ${utcNow()} with \`${command}\`; git ${gitDescribe()}.`,
    '',
    `${machineLine(machine, onTmpfs)} Other work on the machine: before the run ${describeLoad(loadBefore)}; at its end (this bench included) ${describeLoad(loadAfter)}.`,
    '',
    ...(drains.length
      ? [
          `**Drain**: ${settings.items} sends accepted through the API for ${settings.accountIds.length} accounts x 500 recipients ` +
            `(1,500 threads, 20 items each, in per-thread order) while the accounts wait in \`qr\`; then all QRs are scanned at once ` +
            '(`WA_SIMULATOR_REQUIRE_SCAN=true`, the scan route on the process holding each account), and the clock runs until the store holds no open item. ' +
            '`WA_SIMULATOR_SEND_MS=0`, `SEND_MIN_INTERVAL_MS=0`, `ACCOUNT_CAPACITY` = accounts / processes, one sqlite file, `synchronous=FULL`.',
          '',
          ...drainRows,
          '',
          'Inside the processes over the drain (bench/support/group-commit-probe.cjs):',
          '',
          ...drains.flatMap((d) => [`- ${d.processes} process${d.processes > 1 ? 'es' : ''}:`, ...d.probe.map((line) => `  - ${line}`)]),
          '',
        ]
      : []),
    ...(steadies.length
      ? [
          `**Steady**: sends at a fixed ${settings.rate}/s (open loop: request n leaves at n/rate whatever the answers) spread over the ` +
            `${settings.accountIds.length} connected accounts and ${settings.recipients} recipients, ${settings.warmup} s warm-up then ${settings.seconds} s measured; ` +
            'latency is each measured message\'s `sent_at - created_at` in the store (accept, durable write, hand-off, claim, send, server ack, `sent` written).',
          '',
          ...steadyRows,
          '',
          ...steadies.flatMap((s) => [`- ${s.processes} process${s.processes > 1 ? 'es' : ''}, over the measured ${settings.seconds} s:`, ...s.probe.map((line) => `  - ${line}`)]),
          '',
        ]
      : []),
    ...verdicts.map((line) => `- ${line}`),
  ].join('\n');
  recordMarkedSection(path.join(root, 'docs/BENCHMARKS.md'), { key: 'outbox', title: 'Outbox drain (`npm run bench:outbox`)', command: 'npm run bench:outbox', body });
  console.log('\nrecorded in docs/BENCHMARKS.md');
}

if (problems.length > 0) {
  console.error(`\nFAILED:\n  ${problems.join('\n  ')}\n(files kept in ${workDir})`);
  process.exit(1);
}
if (!options.keep && profiles.length === 0) rmSync(workDir, { recursive: true, force: true });

async function measureDrain(processes) {
  const sqlitePath = path.join(workDir, `drain-${processes}.db`);
  console.log(`\ndrain, ${processes} process(es): accepting ${settings.items} sends while the accounts wait in qr`);
  const cluster = await startCluster({
    root,
    sqlitePath,
    processes,
    accountIds: settings.accountIds,
    requireScan: true,
    probeOut: path.join(workDir, `drain-${processes}`),
    cpuProfile: options['cpu-profile'],
  });
  try {
    const accepted = await sendLoad({
      port: cluster.ports[0],
      apiKey: API_KEY,
      accounts: settings.accountIds,
      connections: settings.connections,
      amount: settings.items,
      runTag: `drain${processes}`,
    });
    problems.push(...answerProblems(`drain ${processes} preload`, accepted));
    const queued = openItems(sqlitePath);
    if (queued !== settings.items) throw new Error(`expected ${settings.items} queued items before the drain, found ${queued}`);
    console.log(`  ${queued} items queued (accepted at ${fixed(accepted.requestsPerSecond)}/s); scanning every account's QR now`);
    await cluster.probeDumps();
    const linkedAt = Date.now();
    await cluster.linkAll();
    await waitForDrain(sqlitePath);
    const dumps = await cluster.probeDumps();
    collectProfiles(dumps);
    const outcome = drainOutcome(sqlitePath);
    checkDrain(`drain ${processes}`, outcome);
    const sent = outcome.statuses.sent ?? 0;
    const row = {
      processes,
      items: settings.items,
      threads: outcome.threads,
      fromLinkMs: outcome.span.lastEnd - linkedAt,
      rateFromLink: (sent / (outcome.span.lastEnd - linkedAt)) * 1000,
      firstToLastMs: outcome.span.lastEnd - outcome.span.firstEnd,
      rateFirstToLast: ((sent - 1) / (outcome.span.lastEnd - outcome.span.firstEnd)) * 1000,
      peak: peakRate(outcome.buckets),
      retried: outcome.retried,
      perWorker: outcome.perWorker,
      probe: probeLines(dumps),
    };
    console.log(
      `  drained ${sent} in ${fixed(row.fromLinkMs)} ms from the scans: ${fixed(row.rateFromLink)} items/s ` +
        `(first to last sent ${fixed(row.rateFirstToLast)}/s, best second ${fixed(row.peak)}/s); per process ${JSON.stringify(row.perWorker)}`,
    );
    for (const line of row.probe) console.log(`  ${line}`);
    return row;
  } catch (error) {
    console.error(cluster.output());
    throw error;
  } finally {
    await cluster.stop();
  }
}

async function measureSteady(processes) {
  const sqlitePath = path.join(workDir, `steady-${processes}.db`);
  console.log(`\nsteady ${settings.rate}/s, ${processes} process(es), accounts connected`);
  const cluster = await startCluster({
    root,
    sqlitePath,
    processes,
    accountIds: settings.accountIds,
    requireScan: false,
    probeOut: path.join(workDir, `steady-${processes}`),
    cpuProfile: options['cpu-profile'],
  });
  try {
    const load = { ports: cluster.ports, apiKey: API_KEY, accountIds: settings.accountIds, recipients: settings.recipients, rate: settings.rate };
    const warm = await pacedSends({ ...load, seconds: settings.warmup, tag: 'warm' });
    await waitForDrain(sqlitePath);
    await cluster.probeDumps();
    const run = await pacedSends({ ...load, seconds: settings.seconds, tag: 'steady' });
    await waitForDrain(sqlitePath);
    const dumps = await cluster.probeDumps();
    collectProfiles(dumps);
    for (const [name, sends] of [['warm-up', warm], ['measured', run]]) {
      if ((sends.statusCounts['202'] ?? 0) !== sends.total) problems.push(`steady ${processes} ${name}: answers ${JSON.stringify(sends.statusCounts)} for ${sends.total} sends`);
    }
    const { latencies, notSent, total } = acceptToSent(sqlitePath, 'steady-');
    if (total !== run.total) problems.push(`steady ${processes}: ${total} outbox rows for ${run.total} sends`);
    if (notSent > 0) problems.push(`steady ${processes}: ${notSent} messages not sent`);
    const row = {
      processes,
      rate: settings.rate,
      issueRate: run.issueRate,
      total: run.total,
      p: percentiles(latencies),
      accept: percentiles(run.acceptMs),
      notSent,
      probe: probeLines(dumps),
    };
    console.log(
      `  ${run.total} sends issued at ${fixed(run.issueRate)}/s (loop lag max ${fixed(run.maxLagMs, 1)} ms); accept → sent ` +
        `p50 ${row.p[0.5]} ms, p90 ${row.p[0.9]} ms, p99 ${row.p[0.99]} ms, max ${row.p[1]} ms; HTTP accept p50 ${fixed(row.accept[0.5], 1)} ms p99 ${fixed(row.accept[0.99], 1)} ms`,
    );
    for (const line of row.probe) console.log(`  ${line}`);
    return row;
  } catch (error) {
    console.error(cluster.output());
    throw error;
  } finally {
    await cluster.stop();
  }
}

function checkDrain(name, outcome) {
  const sent = outcome.statuses.sent ?? 0;
  if (sent !== settings.items) problems.push(`${name}: ${sent} of ${settings.items} items sent (${JSON.stringify(outcome.statuses)})`);
  if ((outcome.messages.sent ?? 0) !== settings.items) problems.push(`${name}: messages ${JSON.stringify(outcome.messages)}, expected ${settings.items} sent`);
  if (outcome.distinctIds !== settings.items) problems.push(`${name}: ${outcome.distinctIds} distinct WhatsApp ids for ${settings.items} items`);
}

function collectProfiles(dumps) {
  for (const dump of dumps) if (dump.cpuProfile) profiles.push(dump.cpuProfile);
}

function gitDescribe() {
  try {
    const { execFileSync } = process.getBuiltinModule?.('node:child_process') ?? {};
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root }).toString().trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src'], { cwd: root }).toString().trim() !== '';
    return `${head}${dirty ? ' with uncommitted changes under src/' : ''}`;
  } catch {
    return 'unknown';
  }
}
