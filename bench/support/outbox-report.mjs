// Printing and recording for bench/outbox.mjs, and the marked-section writer that bench/inbound.mjs and
// bench/memory.mjs use too (each benchmark owns one section of docs/BENCHMARKS.md; others write theirs).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

export const fixed = (value, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : '-');

/**
 * Replaces the text between this benchmark's markers in `file`, or appends `## {title}` with them. The
 * file is read right before it is written, so sections other benchmarks wrote meanwhile are kept.
 */
export function recordMarkedSection(file, { key, title, command, body }) {
  const start = `<!-- bench:${key}:start (written by \`${command} -- --record\`; edit outside these markers) -->`;
  const end = `<!-- bench:${key}:end -->`;
  const block = `${start}\n${body.trim()}\n${end}`;
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  const at = text.indexOf(`<!-- bench:${key}:start`);
  const until = text.indexOf(end);
  const updated = at >= 0 && until > at ? text.slice(0, at) + block + text.slice(until + end.length) : `${text.trimEnd()}\n\n## ${title}\n\n${block}\n`;
  writeFileSync(file, updated);
}

export function machineLine(machine, onTmpfs) {
  return (
    `Machine: ${machine.nproc} cores (\`nproc\`), ${machine.cpuModel}, ${machine.ramGiB} GiB RAM, Node ${machine.node}, ${machine.os}; ` +
    `sqlite file on ${onTmpfs ? 'tmpfs (fsync free: figures flattered)' : 'disk'}.`
  );
}

/** The commit measured, and whether src/ differed from it (others edit the tree while benchmarks run). */
export function gitDescribe(root) {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root }).toString().trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src'], { cwd: root }).toString().trim() !== '';
    return `${head}${dirty ? ' with uncommitted changes under src/' : ''}`;
  } catch {
    return 'unknown';
  }
}

/**
 * The share of the last 10 s in which some task waited for a CPU (PSI `some avg10`): other sessions'
 * work on this shared machine, read at the edges of each measured window.
 */
export function cpuPressureNow() {
  try {
    return Number(/some avg10=([\d.]+)/.exec(readFileSync('/proc/pressure/cpu', 'utf8'))?.[1]);
  } catch {
    return NaN;
  }
}

export function utcNow() {
  return `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/**
 * Where the processes' time went, from bench/support/group-commit-probe.cjs (one dump per process over
 * the same window): group-commit transactions, their size, COMMIT (the fsync) in whichever thread ran
 * them (the sqlite store worker since 85d3066), both threads' event-loop use, the process's CPU.
 */
export function probeLines(dumps) {
  return dumps.map((dump, i) => {
    const cpuMs = dump.cpuUserMs + dump.cpuSystemMs;
    const sizes = Object.entries(dump.batchSizes).map(([size, count]) => [Number(size), count]);
    const largest = sizes.length ? Math.max(...sizes.map(([size]) => size)) : 0;
    const full = sizes.filter(([size]) => size >= 256).reduce((sum, [, count]) => sum + count, 0);
    const storeThread = dump.storeThreadUtilization !== undefined;
    const busy = storeThread
      ? `event loop busy: main thread ${fixed(dump.eventLoopUtilization * 100, 0)} %, store thread ${fixed(dump.storeThreadUtilization * 100, 0)} %`
      : `event loop busy ${fixed(dump.eventLoopUtilization * 100, 0)} %`;
    return (
      `process ${i + 1}: ${dump.batches} group commits ${storeThread ? 'in the store thread' : 'on the main thread'} for ${dump.writes} writes ` +
      `(mean ${fixed(dump.writes / dump.batches, 1)}, max ${largest}, ${full} full at 256); ` +
      `COMMIT mean ${fixed(dump.commitMs / dump.batches, 2)} ms, max ${fixed(dump.commitMaxMs, 1)} ms, ${fixed((dump.commitMs / dump.wallMs) * 100, 0)} % of the wall time; ` +
      `BEGIN IMMEDIATE (waiting for another connection's write lock) ${fixed((dump.beginMs / dump.wallMs) * 100, 1)} %; ` +
      `the batches' SQL ${fixed((dump.writesMs / dump.wallMs) * 100, 0)} %; ${busy}; ` +
      `CPU (all threads) ${fixed((cpuMs / dump.wallMs) * 100, 0)} % of a core over ${fixed(dump.wallMs / 1000, 1)} s`
    );
  });
}

/** The fastest `windowMs` of ends, from 100 ms buckets. */
export function peakRate(buckets, windowMs = 1000) {
  const width = windowMs / 100;
  const counts = new Map(buckets.map((b) => [b.bucket, b.n]));
  const last = buckets.at(-1)?.bucket ?? 0;
  // A drain shorter than the window has no such stretch (printed as '-', not as 0/s).
  if (last + 1 < width) return NaN;
  let best = 0;
  for (let from = 0; from + width - 1 <= last; from++) {
    let n = 0;
    for (let b = from; b < from + width; b++) n += counts.get(b) ?? 0;
    best = Math.max(best, n);
  }
  return (best * 1000) / windowMs;
}

export function drainTable(rows) {
  return [
    '| processes | items | threads | link → last sent | drain rate (items/s, from link) | first → last sent | rate first → last | best 1 s | retried | sent per process | app CPU per item |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|',
    ...rows.map(
      (r) =>
        `| ${r.processes} | ${r.items} | ${r.threads} | ${fixed(r.fromLinkMs / 1000, 2)} s | **${fixed(r.rateFromLink)}** | ${fixed(r.firstToLastMs / 1000, 2)} s | ` +
        `${fixed(r.rateFirstToLast)} | ${fixed(r.peak)} | ${r.retried} | ${Object.values(r.perWorker).join(' / ')} | ${fixed(r.cpuPerItemUs)} µs |`,
    ),
  ];
}

export function steadyTable(rows) {
  return [
    '| processes | window | CPU pressure (start / end) | rate asked | sends | accept → sent p50 | p90 | p99 | p99.9 | max | HTTP accept p50 / p99 | not sent | app CPU per message |',
    '|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.processes} | ${r.window} | ${r.pressure} | ${r.rate}/s (issued ${fixed(r.issueRate)}/s) | ${r.total} | ${r.p[0.5]} ms | ${r.p[0.9]} ms | **${r.p[0.99]} ms** | ${r.p[0.999]} ms | ${r.p[1]} ms | ` +
        `${fixed(r.accept[0.5], 1)} / ${fixed(r.accept[0.99], 1)} ms | ${r.notSent} | ${fixed(r.cpuPerItemUs)} µs |`,
    ),
  ];
}

/**
 * Stage times of the items one process sent (bench/support/outbox-stage-probe.cjs), one line per process,
 * and, where the store runs in a worker, a line setting the outbox calls' round trip from the main thread
 * beside their time inside the store thread. In a drain the items were accepted before the clock started,
 * so accept and wait are left out.
 */
export function stageLines(stages, { drain = false } = {}) {
  const q = (s) => `p50 ${fixed(s.p50, 1)} / p99 ${fixed(s.p99, 1)} ms`;
  const calls = (byMethod) =>
    Object.entries(byMethod)
      .filter(([, times]) => times.n > 0)
      .map(([method, times]) => `${method} ${q(times)}`)
      .join(', ');
  return stages.flatMap((s, i) => [
    `process ${i + 1}, ${s.items} items: ${drain ? '' : `accept write ${q(s.accept)}; waiting for a claim ${q(s.wait)}; `}` +
      `claim committed to server ack ${q(s.send)}; server ack to \`sent\` committed ${q(s.record)}; ` +
      `${s.rounds.count} claim rounds, ${fixed(s.rounds.claimedPerRound, 1)} items each, claim write ${q(s.rounds.claimWrite)} (max ${fixed(s.rounds.claimWrite.max, 1)})`,
    ...(s.roundTrips
      ? [`process ${i + 1}, outbox calls from the main thread, call to answer: ${calls(s.roundTrips)}; the same calls inside the store thread: ${calls(s.storeCalls)}`]
      : []),
  ]);
}
