// The printed table and the docs/BENCHMARKS.md section of the send benchmark.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const fixed = (value, digits) => (Number.isFinite(value) ? value.toFixed(digits) : '-');

export function errorCount(run) {
  return run.non2xx + run.errors;
}

export function resultTable(runs) {
  const header = ['name', 'req/s', 'p50 ms', 'p99 ms', 'errors'];
  const rows = runs.map(({ name, run }) => [name, fixed(run.requestsPerSecond, 0), fixed(run.p50Ms, 1), fixed(run.p99Ms, 1), String(errorCount(run))]);
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i].length)));
  const line = (cells) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}

export function markdownTable(runs) {
  return [
    '| name | req/s | p50 ms | p99 ms | errors | requests |',
    '|---|---:|---:|---:|---:|---:|',
    ...runs.map(({ name, run }) => `| ${name} | ${fixed(run.requestsPerSecond, 0)} | ${fixed(run.p50Ms, 1)} | ${fixed(run.p99Ms, 1)} | ${errorCount(run)} | ${run.requests} |`),
  ].join('\n');
}

/** Batch sizes and where the app's time went, from bench/support/group-commit-probe.cjs. */
export function probeSummary(probe) {
  if (!probe) return undefined;
  const sizes = Object.entries(probe.batchSizes).flatMap(([size, count]) => Array(count).fill(Number(size)));
  const at = (q) => sizes[Math.min(sizes.length - 1, Math.floor(q * sizes.length))];
  const share = (ms) => `${fixed((ms / probe.wallMs) * 100, 1)} %`;
  return {
    synchronous: probe.connection?.synchronous,
    journalMode: probe.connection?.journalMode,
    lines: [
      `live connection: synchronous=${probe.connection?.synchronous} journal_mode=${probe.connection?.journalMode}`,
      `group commits: ${probe.batches} for ${probe.writes} writes; batch size mean ${fixed(probe.writes / probe.batches, 1)}, ` +
        `p50 ${at(0.5)}, p90 ${at(0.9)}, max ${sizes[sizes.length - 1]}`,
      `app main thread, share of ${fixed(probe.wallMs / 1000, 1)} s wall: event loop busy ${fixed(probe.eventLoopUtilization * 100, 1)} %, ` +
        `COMMIT (fsync) ${share(probe.commitMs)}, writes in batch ${share(probe.writesMs)}, BEGIN ${share(probe.beginMs)}`,
      `app CPU (all threads): user ${fixed(probe.cpuUserMs / 1000, 1)} s, system ${fixed(probe.cpuSystemMs / 1000, 1)} s ` +
        `(${fixed(((probe.cpuUserMs + probe.cpuSystemMs) / probe.wallMs) * 100, 0)} % of one core); ` +
        `${fixed(((probe.cpuUserMs + probe.cpuSystemMs) * 1000) / probe.writes, 0)} µs CPU per accepted send`,
    ],
  };
}

const START = '<!-- bench:send:start (written by `npm run bench:send -- --record`; edit outside these markers) -->';
const END = '<!-- bench:send:end -->';

/** Replaces the generated part of the send section, leaving the rest of the file (other benchmarks) alone. */
export function recordSection(file, generated) {
  const block = `${START}\n${generated.trim()}\n${END}`;
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  const start = text.indexOf(START.slice(0, 24));
  const end = text.indexOf(END);
  const updated =
    start >= 0 && end > start
      ? text.slice(0, start) + block + text.slice(end + END.length)
      : `${text.trimEnd()}\n\n## Send: \`POST /api/whatsapp/send-message\` (\`npm run bench:send\`)\n\n${block}\n`;
  writeFileSync(file, updated);
}
