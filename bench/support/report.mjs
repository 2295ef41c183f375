// The printed table and the docs/BENCHMARKS.md section of the send benchmark.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const fixed = (value, digits) => (Number.isFinite(value) ? value.toFixed(digits) : '-');

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** One line per server: medians over its rounds, errors summed over the rounds. */
export function summarise(target) {
  const { runs } = target;
  return {
    name: target.name,
    requestsPerSecond: median(runs.map((run) => run.requestsPerSecond)),
    p50Ms: median(runs.map((run) => run.p50Ms)),
    p99Ms: median(runs.map((run) => run.p99Ms)),
    errors: runs.reduce((sum, run) => sum + run.non2xx + run.errors, 0),
    requests: runs.reduce((sum, run) => sum + run.requests, 0),
    perRound: runs.map((run) => run.requestsPerSecond),
  };
}

export function resultTable(rows) {
  const header = ['name', 'req/s', 'p50 ms', 'p99 ms', 'errors'];
  const cells = rows.map((row) => [row.name, fixed(row.requestsPerSecond, 0), fixed(row.p50Ms, 1), fixed(row.p99Ms, 1), String(row.errors)]);
  const widths = header.map((title, i) => Math.max(title.length, ...cells.map((line) => line[i].length)));
  const line = (parts) => parts.map((part, i) => (i === 0 ? part.padEnd(widths[i]) : part.padStart(widths[i]))).join('  ');
  return [line(header), ...cells.map(line)].join('\n');
}

/** Batch sizes and where the app's time went, from bench/support/group-commit-probe.cjs, over all rounds. */
export function probeSummary(probes, sends) {
  if (!probes || probes.length === 0) return undefined;
  const sum = (field) => probes.reduce((total, probe) => total + probe[field], 0);
  const sizes = new Map();
  for (const probe of probes) for (const [size, count] of Object.entries(probe.batchSizes)) sizes.set(Number(size), (sizes.get(Number(size)) ?? 0) + count);
  const ordered = [...sizes].sort((a, b) => a[0] - b[0]);
  const batches = sum('batches');
  const writes = sum('writes');
  const at = (q) => {
    let seen = 0;
    for (const [size, count] of ordered) if ((seen += count) > q * batches) return size;
    return ordered.at(-1)?.[0];
  };
  const wallMs = sum('wallMs');
  const cpuMs = sum('cpuUserMs') + sum('cpuSystemMs');
  const busy = probes.reduce((total, probe) => total + probe.eventLoopUtilization * probe.wallMs, 0) / wallMs;
  const storeBusy = probes.every((probe) => probe.storeThreadUtilization !== undefined)
    ? probes.reduce((total, probe) => total + probe.storeThreadUtilization * probe.wallMs, 0) / wallMs
    : undefined;
  const share = (ms) => `${fixed((ms / wallMs) * 100, 1)} %`;
  const { connection } = probes[0];
  const io = probes.every((probe) => probe.io) && {
    wchar: probes.reduce((total, probe) => total + probe.io.wchar, 0),
    writeBytes: probes.reduce((total, probe) => total + probe.io.writeBytes, 0),
    writeSyscalls: probes.reduce((total, probe) => total + probe.io.writeSyscalls, 0),
  };
  return {
    synchronous: connection?.synchronous,
    lines: [
      `live connection: synchronous=${connection?.synchronous} journal_mode=${connection?.journalMode} ` +
        `temp_store=${connection?.tempStore} wal_autocheckpoint=${connection?.walAutocheckpoint}`,
      `group commits: ${batches} for ${writes} writes (${sends} accepted sends, the rest the outbox's own); batch size mean ${fixed(writes / batches, 1)}, p50 ${at(0.5)}, p90 ${at(0.9)}, max ${ordered.at(-1)?.[0]}`,
      `COMMIT (WAL write + fsync, in the sqlite store worker): mean ${fixed(sum('commitMs') / batches, 2)} ms, max ${fixed(Math.max(...probes.map((p) => p.commitMaxMs)), 1)} ms; ` +
        `count by duration ${commitHistogram(probes)}`,
      `over ${fixed(wallMs / 1000, 1)} s of rounds: app main thread (HTTP, Nest, validation, guards) busy ${fixed(busy * 100, 1)} %; ` +
        `store worker busy ${storeBusy === undefined ? 'n/a (no worker)' : `${fixed(storeBusy * 100, 1)} %`}: in COMMIT ${share(sum('commitMs'))}, ` +
        `in the batch's SQL ${share(sum('writesMs'))} (of which SAVEPOINT/RELEASE ${share(sum('savepointMs'))}), in BEGIN ${share(sum('beginMs'))}`,
      `app CPU (all threads) ${fixed((cpuMs / wallMs) * 100, 0)} % of one core, ${fixed((cpuMs * 1000) / sends, 0)} µs per accepted send ` +
        `(user ${fixed(sum('cpuUserMs') / 1000, 1)} s, system ${fixed(sum('cpuSystemMs') / 1000, 1)} s)`,
      ...(io
        ? [
            `app writes per accepted send: ${fixed(io.wchar / sends / 1024, 1)} KiB through ${fixed(io.writeSyscalls / sends, 1)} write syscalls ` +
              `(HTTP answers included, ~0.4 KiB), ${fixed(io.writeBytes / sends / 1024, 1)} KiB reaching storage`,
          ]
        : []),
    ],
  };
}

function commitHistogram(probes) {
  const counts = {};
  for (const probe of probes) for (const [bound, count] of Object.entries(probe.commitHistogram ?? {})) counts[bound] = (counts[bound] ?? 0) + count;
  return Object.entries(counts)
    .sort((a, b) => Number(a[0]) - Number(b[0]))
    .map(([bound, count]) => `${bound === 'Infinity' ? '>50' : `<=${bound}`} ms: ${count}`)
    .join(', ');
}

/** The store's ceiling measured by bench:send (bench/support/store-accept-only.mjs), in one line. */
export function describeCeiling(ceiling) {
  return (
    `the accept write alone, one thread, ${ceiling.sends} sends in batches of ${ceiling.batch}, no HTTP: ${ceiling.wallUsPerSend.toFixed(0)} µs a send ` +
    `(${ceiling.cpuUsPerSend.toFixed(0)} µs CPU, ${ceiling.walKiBPerSend.toFixed(1)} KiB of WAL) = ${ceiling.perSecond.toFixed(0)} sends/s, ` +
    `${ceiling.ofBare.toFixed(2)} of bare; the goal asks ${ceiling.goalPerSecond.toFixed(0)}/s`
  );
}

export function markdownSection({ command, source, settings, machine, onTmpfs, build, rows, outcome, probe, load }) {
  const table = [
    '| name | req/s (median) | p50 ms | p99 ms | errors | requests | req/s per round |',
    '|---|---:|---:|---:|---:|---:|---|',
    ...rows.map(
      (row) =>
        `| ${row.name} | ${fixed(row.requestsPerSecond, 0)} | ${fixed(row.p50Ms, 1)} | ${fixed(row.p99Ms, 1)} | ${row.errors} | ${row.requests} | ${row.perRound.map((r) => fixed(r, 0)).join(', ')} |`,
    ),
  ];
  return [
    `Last recorded ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC with \`${command}\`: ${settings.connections} connections, ` +
      `${settings.rounds} alternating rounds of ~${settings.durationSec} s per server after ~${settings.warmupSec} s warm-up each, ${settings.accountIds.length} accounts; ` +
      `code: ${source}.`,
    '',
    `Machine: ${machine.nproc} cores (\`nproc\`), ${machine.cpuModel}, ${machine.ramGiB} GiB RAM, Node ${machine.node}, ${machine.os}; ` +
      `sqlite file on ${onTmpfs ? 'tmpfs (fsync free: figures flattered)' : 'disk'}; autocannon on the same machine` +
      `${build.typeErrors ? '; dist/ built from a src/ with type errors' : ''}.`,
    '',
    `Other work on the machine: before the run ${load.before}; at its end (this bench included) ${load.after}.`,
    '',
    ...table,
    '',
    `Ratio app/bare: **${fixed(outcome.ratio, 2)}** (per round ${outcome.roundRatios.map((r) => fixed(r, 2)).join(', ')}); ` +
      `goal >= ${outcome.goal}: ${outcome.goalMet ? 'met' : '**not met**'}.`,
    '',
    `Durability: ${outcome.durability}.`,
    '',
    `Store ceiling: ${describeCeiling(outcome.ceiling)}.`,
    ...(probe ? ['', 'Probe inside the app (bench/support/group-commit-probe.cjs), over the measured rounds:', '', ...probe.lines.map((line) => `- ${line}`)] : []),
  ].join('\n');
}

const START = '<!-- bench:send:start (written by `npm run bench:send -- --record`; edit outside these markers) -->';
const END = '<!-- bench:send:end -->';

/** Replaces the generated part of the send section, leaving the rest of the file (other benchmarks) alone. */
export function recordSection(file, generated) {
  const block = `${START}\n${generated.trim()}\n${END}`;
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  const start = text.indexOf('<!-- bench:send:start');
  const end = text.indexOf(END);
  const updated =
    start >= 0 && end > start
      ? text.slice(0, start) + block + text.slice(end + END.length)
      : `${text.trimEnd()}\n\n## Send: \`POST /api/whatsapp/send-message\` (\`npm run bench:send\`)\n\n${block}\n`;
  writeFileSync(file, updated);
}
