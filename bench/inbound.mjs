#!/usr/bin/env node
// Inbound messages stored per second across 30 accounts on sqlite, with receipts mixed in.
//
//   npm run bench:inbound [-- --seconds 10 --warmup 3 --contacts 200 --receipts 0.5 --repeat 0 --record]
//
// Driven in-process: the whole app is built by createApp (dist/app.factory.js, the path main.ts takes),
// its 30 accounts connect through the simulator, and the bench calls the simulator's own hooks
// (WhatsAppSimulator.injectInbound / injectReceipt). Each call emits Baileys' event shapes
// (`messages.upsert` notify, `messages.update` with a proto status) on the account's socket, so what is
// measured is the app's path from a socket event: translation, thread identity, dedupe lookup, the
// message/lookup/thread write and the forward-only receipt update, all through group commit under
// synchronous=FULL. Not the HTTP simulator routes: on WhatsApp these events arrive on the socket, not as
// HTTP requests, and on 2 cores an HTTP load generator and Fastify would take the CPU being measured.
// Before the clock starts, `outbound` messages are sent through the send path and drained by the
// outbox, so receipts have real sent messages to advance (delivered, then read, then played).
// A closed loop keeps `window` events in flight (injected, not yet stored). Exit status 1 when the store
// disagrees with the counts (a message stored twice or lost, a receipt that did not land).
// The app's group commits run in its sqlite store worker, which a patch made from this script cannot
// reach: only a preload can (a Worker inherits the process's --require). So, unless it is already
// loaded, the script runs itself again as `node --require bench/support/group-commit-probe.cjs` (after
// the build check, since the probe loads dist/), and the probe reports both threads.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { BENCH_ROOT, COMMON_OPTIONS, finishBench, recordedCommand, startBench } from './support/bench-run.mjs';
import { ensureFreshBuild } from './support/build.mjs';
import { describeLoad, machineLoad } from './support/machine.mjs';
import { startInProcessApp } from './support/inbound-app.mjs';
import { fixed, gitDescribe, machineLine, recordMarkedSection, utcNow } from './support/outbox-report.mjs';

const { values: options } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
    accounts: { type: 'string', default: '30' },
    contacts: { type: 'string', default: '200' },
    receipts: { type: 'string', default: '0.5' },
    repeat: { type: 'string', default: '0' },
    outbound: { type: 'string', default: '30000' },
    window: { type: 'string', default: '512' },
    ...COMMON_OPTIONS,
  },
});
const settings = {
  seconds: Number(options.seconds),
  warmup: Number(options.warmup),
  accountIds: Array.from({ length: Number(options.accounts) }, (_, i) => `bench-account-${String(i + 1).padStart(2, '0')}`),
  contacts: Number(options.contacts),
  receiptsPerInbound: Number(options.receipts),
  repeat: Number(options.repeat),
  outbound: Number(options.outbound),
  window: Number(options.window),
};
const RECEIPT_STATUSES = ['delivered', 'read', 'played'];

const probe = globalThis[Symbol.for('bench-probe')];
if (!probe) {
  if (!options['no-build']) ensureFreshBuild(BENCH_ROOT, { force: options.build });
  const preload = path.join(BENCH_ROOT, 'bench/support/group-commit-probe.cjs');
  const rerun = spawnSync(process.execPath, [...process.execArgv, '--require', preload, fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(rerun.status ?? 1);
}
// With the probe preloaded, dist/ is loaded already: whoever preloaded it checked the build.
const { root, workDir, onTmpfs, machine, loadBefore } = startBench('inbound', { ...options, 'no-build': true });
const sqlitePath = path.join(workDir, 'inbound.db');

const problems = [];
const app = await startInProcessApp({ root, sqlitePath, accountIds: settings.accountIds });
const { simulator, inbound, receipts, db } = app;
let result;
try {
  const sent = await presend();
  const driver = newDriver(sent);
  console.log(`warm-up ${settings.warmup} s`);
  await driver.run(settings.warmup);
  console.log(`measuring ${settings.seconds} s: ${settings.accountIds.length} accounts x ${settings.contacts} contacts, ${settings.receiptsPerInbound} receipt per inbound, ${settings.window} events in flight`);
  await probe.dump();
  const run = await driver.run(settings.seconds);
  const inside = await probe.dump();
  await driver.settle();
  result = { ...run, store: checkStore(driver), probe: probeLine(inside) };
} finally {
  await app.close();
}
const loadAfter = machineLoad();

const lines = [
  `inbound stored: **${fixed(result.inboundPerSecond)} /s** (${result.inbound} in ${fixed(result.elapsedMs / 1000, 1)} s), ` +
    `receipts applied: ${fixed(result.receiptsPerSecond)} /s (${result.receipts}: ${JSON.stringify(result.receiptOutcomes)}), all events ${fixed(result.eventsPerSecond)} /s`,
  `store after the run: ${result.store.line}`,
  `inside the process over the measured run: ${result.probe}`,
];
console.log(`\n${lines.join('\n')}`);
console.log(`other work (and this bench) at the end: ${describeLoad(loadAfter)}`);

if (options.record) {
  const command = recordedCommand('inbound');
  const body = [
    `Last recorded ${utcNow()} with \`${command}\`; git ${gitDescribe(root)}.`,
    '',
    `${machineLine(machine, onTmpfs)} Other work on the machine: before the run ${describeLoad(loadBefore)}; at its end (this bench included) ${describeLoad(loadAfter)}.`,
    '',
    `In-process: the app from \`createApp\` (dist) with the simulator provider, ${settings.accountIds.length} connected accounts; the bench calls ` +
      '`WhatsAppSimulator.injectInbound` / `injectReceipt`, which emit Baileys\' own event shapes on each account\'s socket, so the app\'s ' +
      'translation, thread identity, dedupe, message write and forward-only receipt update run as for a real socket (the HTTP simulator routes ' +
      'would measure Fastify and a load generator competing for the same 2 cores instead). ' +
      `${settings.accountIds.length} accounts x ${settings.contacts} contacts, ${settings.receiptsPerInbound} receipt per inbound message ` +
      `(on ${settings.outbound} messages sent through the send path and the outbox before the clock starts: delivered, then read, then played), ` +
      `${settings.repeat > 0 ? `${settings.repeat * 100} % of inbound re-delivered, ` : ''}` +
      `${settings.window} events in flight, ${settings.warmup} s warm-up, ${settings.seconds} s measured; sqlite \`synchronous=FULL\`. ` +
      'The app\'s writes run in its sqlite store worker; the figures inside the process come from bench/support/group-commit-probe.cjs, ' +
      'preloaded (the script runs itself again with `--require`) so that it reaches that worker too.',
    '',
    ...lines.map((line) => `- ${line}`),
  ].join('\n');
  recordMarkedSection(path.join(root, 'docs/BENCHMARKS.md'), { key: 'inbound', title: 'Inbound (`npm run bench:inbound`)', command: 'npm run bench:inbound', body });
  console.log('\nrecorded in docs/BENCHMARKS.md');
}

finishBench({ problems, workDir, keep: options.keep });

/**
 * The probe's window over the measured run (bench/support/group-commit-probe.cjs): the group commits
 * in whichever thread ran them, both threads' event-loop use, the process's CPU (all threads, the
 * bench's injection included: it runs on the app's main thread).
 */
function probeLine(inside) {
  const pct = (ms) => fixed((ms / inside.wallMs) * 100, 0);
  const storeThread = inside.storeThreadUtilization !== undefined;
  const busy = storeThread
    ? `event loop busy: main thread (the app's and the bench's injection) ${fixed(inside.eventLoopUtilization * 100, 0)} %, store thread ${fixed(inside.storeThreadUtilization * 100, 0)} %`
    : `event loop busy ${fixed(inside.eventLoopUtilization * 100, 0)} %`;
  return (
    `${inside.batches} group commits ${storeThread ? 'in the store thread' : 'on the main thread'} for ${inside.writes} writes (mean ${fixed(inside.writes / inside.batches, 1)}); ` +
    `COMMIT mean ${fixed(inside.commitMs / inside.batches, 2)} ms, ${pct(inside.commitMs)} % of the wall time; ` +
    `whole flushes (BEGIN + SQL + COMMIT) ${pct(inside.beginMs + inside.writesMs + inside.commitMs)} %; ${busy}; ` +
    `process CPU (all threads, bench injection included) ${pct(inside.cpuUserMs + inside.cpuSystemMs)} % of a core`
  );
}

/** Sends `outbound` messages through the send path and waits until the outbox has sent them all. */
async function presend() {
  console.log(`sending ${settings.outbound} messages through the send path, for receipts to land on`);
  const concurrency = 256;
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let n = next++; n < settings.outbound; n = next++) {
        await app.send.send({ accountId: accountOf(n), to: contactOf(n), text: `Outbound ${n}: your order is on its way.`, requestId: `pre-${n}` });
      }
    }),
  );
  const open = db.prepare("SELECT COUNT(*) AS n FROM outbox WHERE status IN ('queued', 'processing')");
  const deadline = Date.now() + 120_000;
  while (open.get().n > 0) {
    if (Date.now() > deadline) throw new Error('the outbox did not send the pre-sent messages within 120 s');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return db.prepare("SELECT account_id AS accountId, wa_message_id AS waMessageId FROM outbox WHERE status = 'sent' ORDER BY created_at, id").all();
}

function accountOf(n) {
  return settings.accountIds[n % settings.accountIds.length];
}

/** Each account cycles through its own contacts, so there are accounts x contacts threads. */
function contactOf(n) {
  return `40714${String(Math.floor(n / settings.accountIds.length) % settings.contacts).padStart(6, '0')}`;
}

/** The closed loop: injects inbound messages and receipts while fewer than `window` are unprocessed. */
function newDriver(sent) {
  let inboundInjected = 0;
  let repeats = 0;
  let receiptsInjected = 0;
  const recentIds = [];
  const processedInbound = () => inbound.counts.stored + inbound.counts.duplicate - base.inbound;
  const processedReceipts = () => Object.values(receipts.counts).reduce((a, b) => a + b, 0) - base.receipts;
  const base = { inbound: inbound.counts.stored + inbound.counts.duplicate, receipts: Object.values(receipts.counts).reduce((a, b) => a + b, 0) };
  const outstanding = () => inboundInjected + receiptsInjected - processedInbound() - processedReceipts();

  const injectInbound = () => {
    const n = inboundInjected++;
    const accountId = accountOf(n);
    const repeated = settings.repeat > 0 && recentIds.length > 0 && Math.random() < settings.repeat;
    // A re-delivery is the same message again: same account, chat and id (WhatsApp replaying after a reconnect).
    const original = repeated ? recentIds[Math.floor(Math.random() * recentIds.length)] : undefined;
    if (repeated) repeats += 1;
    const injected = original
      ? simulator.injectInbound(original.accountId, { from: original.from, text: original.text, waMessageId: original.waMessageId })
      : simulator.injectInbound(accountId, { from: contactOf(n), text: `Inbound ${n}: is my order ready?` });
    if (!injected.delivered) problems.push(`inbound ${n} on ${accountId} was not delivered to an open socket`);
    if (!original) {
      recentIds.push({ accountId, from: contactOf(n), text: `Inbound ${n}: is my order ready?`, waMessageId: injected.waMessageId });
      if (recentIds.length > 1000) recentIds.shift();
    }
    if (receiptsInjected < Math.floor(inboundInjected * settings.receiptsPerInbound)) injectReceipt();
  };
  const injectReceipt = () => {
    const k = receiptsInjected++;
    const target = sent[k % sent.length];
    const status = RECEIPT_STATUSES[Math.min(Math.floor(k / sent.length), RECEIPT_STATUSES.length - 1)];
    simulator.injectReceipt(target.accountId, { waMessageId: target.waMessageId, status });
  };

  return {
    /** Keeps the window full for `seconds`; answers with what was processed in that time. */
    run(seconds) {
      const start = { at: performance.now(), inbound: inbound.counts.stored, duplicate: inbound.counts.duplicate, receipts: { ...receipts.counts } };
      return new Promise((resolve) => {
        const pump = () => {
          const elapsedMs = performance.now() - start.at;
          if (elapsedMs >= seconds * 1000) {
            const stored = inbound.counts.stored - start.inbound;
            const outcomes = Object.fromEntries(Object.entries(receipts.counts).map(([key, count]) => [key, count - start.receipts[key]]));
            const applied = Object.values(outcomes).reduce((a, b) => a + b, 0);
            const duplicates = inbound.counts.duplicate - start.duplicate;
            resolve({
              elapsedMs,
              inbound: stored,
              duplicates,
              receipts: applied,
              receiptOutcomes: outcomes,
              inboundPerSecond: (stored / elapsedMs) * 1000,
              receiptsPerSecond: (applied / elapsedMs) * 1000,
              eventsPerSecond: ((stored + duplicates + applied) / elapsedMs) * 1000,
            });
            return;
          }
          for (let room = settings.window - outstanding(); room > 0; room--) injectInbound();
          setImmediate(pump);
        };
        pump();
      });
    },
    /** Waits until every injected event has been processed. */
    async settle() {
      const deadline = Date.now() + 60_000;
      while (outstanding() > 0) {
        if (Date.now() > deadline) throw new Error(`${outstanding()} injected events were never processed`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    totals: () => ({ inboundInjected, repeats, receiptsInjected }),
  };
}

/** The store must agree with what was injected: each distinct inbound message once, each receipt on its message. */
function checkStore(driver) {
  const { inboundInjected, repeats, receiptsInjected } = driver.totals();
  const stored = db.prepare("SELECT COUNT(*) AS n FROM messages WHERE direction = 'inbound'").get().n;
  const threads = db.prepare('SELECT COUNT(*) AS n FROM threads').get().n;
  const statuses = Object.fromEntries(db.prepare("SELECT status, COUNT(*) AS n FROM messages WHERE direction = 'outbound' GROUP BY status").all().map((r) => [r.status, r.n]));
  const distinct = inboundInjected - repeats;
  if (stored !== distinct) problems.push(`${stored} inbound rows for ${distinct} distinct inbound messages injected`);
  if (inbound.counts.stored !== stored) problems.push(`the app counted ${inbound.counts.stored} stored, the store holds ${stored}`);
  // Receipt k went to pre-sent message k mod M with the k-th pass's status: each message ends at the status of its last pass.
  const expected = { sent: 0 };
  for (let i = 0; i < settings.outbound; i++) {
    const got = i < receiptsInjected ? Math.floor((receiptsInjected - 1 - i) / settings.outbound) + 1 : 0;
    const status = got === 0 ? 'sent' : RECEIPT_STATUSES[Math.min(got, RECEIPT_STATUSES.length) - 1];
    expected[status] = (expected[status] ?? 0) + 1;
  }
  const keys = new Set([...Object.keys(expected), ...Object.keys(statuses)]);
  if ([...keys].some((status) => (expected[status] ?? 0) !== (statuses[status] ?? 0))) {
    problems.push(`outbound messages ${JSON.stringify(statuses)}, expected ${JSON.stringify(expected)} from ${receiptsInjected} receipts`);
  }
  return {
    line:
      `${stored} inbound rows = ${distinct} distinct messages injected (${repeats} re-deliveries, none stored again), ${threads} threads; ` +
      `outbound statuses ${JSON.stringify(statuses)} = expected from the ${receiptsInjected} receipts`,
  };
}
