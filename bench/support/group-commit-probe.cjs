// Preloaded into the app by bench/send.mjs (`node --require bench/support/group-commit-probe.cjs dist/main.js`):
// instruments the compiled GroupCommit, so src/ stays untouched. Workers inherit the preload, so it runs
// in the sqlite store worker too (src/store/sqlite/worker), where the group commits happen. It records
//   - the size of each group-commit batch and the time spent in BEGIN, the writes, and COMMIT (the fsync),
//   - PRAGMA synchronous, journal_mode, temp_store, wal_autocheckpoint of the live connection the app
//     writes through (the durability check relies on `synchronous` read here),
//   - the process's CPU time and bytes written (/proc/self/io), the event-loop utilisation of the main
//     thread and of the store worker,
//   - optionally (BENCH_PROBE_CPU_PROFILE=1) a V8 CPU profile of each thread over the same window.
// The bench asks over the IPC channel (not a signal: Nest's shutdown hooks take SIGUSR2 and the like):
// the message 'bench-probe:dump' answers with what was recorded since the previous one and starts a new
// window; bench/send.mjs asks before and after each of the app's rounds. The main thread asks the store
// worker over a BroadcastChannel. In-process (bench/inbound.mjs, which re-runs itself with this preload)
// the same answer comes from `globalThis[Symbol.for('bench-probe')].dump()`. CPU profiles go to
// BENCH_PROBE_OUT.<n>.cpuprofile (main thread) and BENCH_PROBE_OUT.<n>.store.cpuprofile (store worker),
// their paths into the answer.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const inspector = require('node:inspector');
const { performance } = require('node:perf_hooks');
const { isMainThread } = require('node:worker_threads');
const { storeWorkerRelay } = require('./store-worker-relay.cjs');

const out = process.env.BENCH_PROBE_OUT ?? `/tmp/bench-probe-${process.pid}`;
const wantProfile = process.env.BENCH_PROBE_CPU_PROFILE === '1';
const { GroupCommit } = require(path.resolve(__dirname, '../../dist/store/sqlite/group-commit.js'));

const now = () => process.hrtime.bigint();
const COMMIT_BUCKETS_MS = [0.5, 1, 2, 5, 10, 20, 50, Infinity];
let current = newWindow();
let connection;

function newWindow() {
  return {
    startedAt: now(),
    cpu: process.cpuUsage(),
    elu: performance.eventLoopUtilization(),
    io: processIo(),
    batches: 0,
    writes: 0,
    sizes: new Map(),
    beginNs: 0n,
    writesNs: 0n,
    commitNs: 0n,
    commitMaxNs: 0n,
    savepointNs: 0n,
    // COMMIT durations by upper bound in ms: an auto-checkpoint (every ~1000 WAL pages) lands in one COMMIT.
    commitHistogram: Object.fromEntries(COMMIT_BUCKETS_MS.map((bound) => [bound, 0])),
  };
}

/** Bytes this process wrote: `wchar` through write syscalls (sockets too), `write_bytes` to storage. */
function processIo() {
  try {
    const fields = Object.fromEntries(fs.readFileSync('/proc/self/io', 'utf8').trim().split('\n').map((line) => line.split(': ')));
    return { wchar: Number(fields.wchar), writeBytes: Number(fields.write_bytes), writeSyscalls: Number(fields.syscw) };
  } catch {
    return undefined;
  }
}

const originalFlush = GroupCommit.prototype.flush;
GroupCommit.prototype.flush = function probedFlush() {
  const db = this.db;
  if (!connection) {
    connection = {
      synchronous: db.pragma('synchronous', { simple: true }),
      journalMode: db.pragma('journal_mode', { simple: true }),
      tempStore: db.pragma('temp_store', { simple: true }),
      walAutocheckpoint: db.pragma('wal_autocheckpoint', { simple: true }),
    };
  }
  const size = Math.min(this.queue.length, 256);
  const exec = db.exec;
  let mark = now();
  let phase = 'begin';
  // Time each statement class by wrapping this connection's exec for the length of one flush.
  db.exec = function timedExec(sql) {
    const t = now();
    if (sql === 'BEGIN IMMEDIATE') {
      const result = exec.call(this, sql);
      current.beginNs += now() - t;
      mark = now();
      phase = 'writes';
      return result;
    }
    if (sql === 'COMMIT') {
      current.writesNs += t - mark;
      phase = 'commit';
      const result = exec.call(this, sql);
      const took = now() - t;
      current.commitNs += took;
      if (took > current.commitMaxNs) current.commitMaxNs = took;
      const tookMs = Number(took) / 1e6;
      current.commitHistogram[COMMIT_BUCKETS_MS.find((bound) => tookMs <= bound)] += 1;
      return result;
    }
    // SAVEPOINT / RELEASE around each write: with temp_store=FILE its statement journal can spill to a temp file.
    const result = exec.call(this, sql);
    current.savepointNs += now() - t;
    return result;
  };
  try {
    return originalFlush.call(this);
  } finally {
    db.exec = exec;
    if (phase === 'writes') current.writesNs += now() - mark;
    current.batches += 1;
    current.writes += size;
    current.sizes.set(size, (current.sizes.get(size) ?? 0) + 1);
  }
};

let session;
function startProfile() {
  if (!wantProfile) return;
  session = new inspector.Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 200 });
  session.post('Profiler.start');
}

/** This thread's window as a report, a new window started; `suffix` names its CPU profile file. */
function dumpThread(n, suffix, done) {
  const ended = current;
  const wallNs = now() - ended.startedAt;
  const cpu = process.cpuUsage(ended.cpu);
  const elu = performance.eventLoopUtilization(ended.elu);
  const io = processIo();
  current = newWindow();
  const ms = (ns) => Number(ns) / 1e6;
  const report = {
    connection,
    wallMs: ms(wallNs),
    cpuUserMs: cpu.user / 1000,
    cpuSystemMs: cpu.system / 1000,
    eventLoopUtilization: elu.utilization,
    io: io && ended.io && {
      wchar: io.wchar - ended.io.wchar,
      writeBytes: io.writeBytes - ended.io.writeBytes,
      writeSyscalls: io.writeSyscalls - ended.io.writeSyscalls,
    },
    batches: ended.batches,
    writes: ended.writes,
    batchSizes: Object.fromEntries([...ended.sizes].sort((a, b) => a[0] - b[0])),
    beginMs: ms(ended.beginNs),
    writesMs: ms(ended.writesNs),
    commitMs: ms(ended.commitNs),
    commitMaxMs: ms(ended.commitMaxNs),
    savepointMs: ms(ended.savepointNs),
    commitHistogram: ended.commitHistogram,
  };
  const finish = (profile) => {
    if (profile) {
      report.cpuProfile = `${out}.${n}${suffix}.cpuprofile`;
      fs.writeFileSync(report.cpuProfile, JSON.stringify(profile));
    }
    startProfile();
    done(report);
  };
  if (!session) return finish();
  session.post('Profiler.stop', (error, result) => {
    session.disconnect();
    session = undefined;
    finish(error ? undefined : result.profile);
  });
}

const askStoreWorker = storeWorkerRelay('bench-probe', (n) => new Promise((resolve) => dumpThread(n, '.store', resolve)));

if (isMainThread) {
  let dumps = 0;
  const dumpProcess = () =>
    new Promise((resolve) => {
      const n = dumps++;
      dumpThread(n, '', async (main) => resolve(merged(main, await askStoreWorker(n))));
    });
  if (process.send) {
    process.on('message', async (message) => {
      if (message !== 'bench-probe:dump') return;
      process.send({ benchProbe: await dumpProcess() });
    });
  }
  // bench/inbound.mjs runs the app in its own process, with no IPC parent: it asks here instead.
  globalThis[Symbol.for('bench-probe')] = { dump: dumpProcess };
}

/**
 * One report for the process: CPU and I/O are the process's (read on the main thread); group commits
 * from whichever thread ran them; both threads' event-loop utilisation.
 */
function merged(main, store) {
  if (!store) return { ...main, storeThreadUtilization: undefined };
  return {
    ...main,
    connection: store.connection ?? main.connection,
    batches: main.batches + store.batches,
    writes: main.writes + store.writes,
    batchSizes: mergeCounts(main.batchSizes, store.batchSizes),
    beginMs: main.beginMs + store.beginMs,
    writesMs: main.writesMs + store.writesMs,
    commitMs: main.commitMs + store.commitMs,
    commitMaxMs: Math.max(main.commitMaxMs, store.commitMaxMs),
    savepointMs: main.savepointMs + store.savepointMs,
    commitHistogram: mergeCounts(main.commitHistogram, store.commitHistogram),
    storeThreadUtilization: store.eventLoopUtilization,
    storeCpuProfile: store.cpuProfile,
  };
}

function mergeCounts(a, b) {
  const sum = { ...a };
  for (const [key, count] of Object.entries(b)) sum[key] = (sum[key] ?? 0) + count;
  return sum;
}
