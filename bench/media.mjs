#!/usr/bin/env node
// Accepting a large document: the app's RSS growth while it takes a 100 MB file through
// POST /api/whatsapp/send-media (multipart), and the accept's MB/s against writing the same bytes to the
// same disk with fsync (the baseline), in the same run.
//
//   npm run bench:media [-- --mb 100 --runs 3 --record --cpu-profile]
//
// One `node dist/main.js` (sqlite, simulator). The bench writes one source file of `mb` MB (10^6 bytes) of
// noise once; each run streams it from disk (never whole in this process either: its own RSS growth is
// printed beside the app's) after a head of its own, so every run is a new blob (content-addressed: a
// repeat of the same bytes would skip the rename the first one paid for) and a valid PDF signature.
// - accept: the multipart request, from its first byte to the 202 (the bytes hashed, written, fsynced and
//   renamed into place by the local blob store, the outbox row committed). RSS is read from
//   /proc/{pid}/status every 100 ms while it runs, against the RSS just before; then the bench waits for
//   the simulator to have sent it, so no send overlaps the next accept.
// - baseline: the same head and bytes from the same source file to a file in the same folder (MEDIA_PATH),
//   then fsync; timed from open to the fsync's end. Run right before each accept, so both see the same
//   load and the same page cache.
// --cpu-profile: the app's main thread profiled for its whole life (--cpu-prof into the work folder, kept
// with --keep; summary: node bench/support/cpu-profile-summary.mjs <file>).
// Goals (issue 15): RSS growth < 64 MB; accept MB/s / baseline MB/s >= 0.5. Missing them is reported, not failed.
import { createReadStream, createWriteStream, mkdirSync } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { API_KEY, createAccounts, startApp } from './support/app-server.mjs';
import { COMMON_OPTIONS, finishBench, recordedCommand, startBench } from './support/bench-run.mjs';
import { describeLoad, machineLoad } from './support/machine.mjs';
import { waitFor } from './support/outbox-cluster.mjs';
import { fixed, gitDescribe, machineLine, recordMarkedSection, utcNow } from './support/outbox-report.mjs';
import { residentMiB } from './support/memory-sampler.mjs';

const MB = 1e6;
const GOAL_RSS_MB = 64;
const GOAL_RATIO = 0.5;
const ACCOUNT = 'bench-media';
const SAMPLE_MS = 100;

const { values: options } = parseArgs({
  options: {
    mb: { type: 'string', default: '100' },
    runs: { type: 'string', default: '3' },
    'cpu-profile': { type: 'boolean', default: false },
    ...COMMON_OPTIONS,
  },
});
const fileBytes = Number(options.mb) * MB;
const runs = Number(options.runs);

const { root, workDir, onTmpfs, machine, loadBefore } = startBench('media', options);
const sqlitePath = path.join(workDir, 'app', 'media.db');
const mediaPath = path.join(workDir, 'app', 'media');
const sourcePath = path.join(workDir, 'source.bin');
mkdirSync(mediaPath, { recursive: true });
await writeNoise(sourcePath, fileBytes);

const problems = [];
const rows = [];
const server = await startApp({
  root,
  name: 'media',
  sqlitePath,
  // Written when the app exits (after the runs): its main thread's whole life, start-up included.
  nodeArgs: options['cpu-profile'] ? ['--cpu-prof', '--cpu-prof-dir', path.join(workDir, 'profile')] : [],
  env: { SEND_MIN_INTERVAL_MS: '0', OUTBOX_POLL_MS: '50', LOG_LEVEL: 'error', WORKER_ID: 'bench-media', MEDIA_PATH: mediaPath },
});
try {
  await createAccounts(server.port, [ACCOUNT]);
  await waitFor('the account connected', 30_000, async () => (await api('GET', `/api/whatsapp/accounts/${ACCOUNT}`)).body.status === 'connected');
  for (let run = 1; run <= runs; run++) {
    const head = Buffer.from(`%PDF-1.4\n% bench:media run ${run} ${randomBytes(8).toString('hex')}\n`, 'latin1');
    const baseline = await writeBaseline(head, path.join(mediaPath, `baseline-${run}.bin`));
    const accept = await sampled(() => postDocument(run, head));
    if (accept.result.status !== 202) {
      problems.push(`run ${run}: send-media answered ${accept.result.status} ${accept.result.text.slice(0, 300)}`);
      break;
    }
    const answer = JSON.parse(accept.result.text);
    await waitFor(`run ${run} sent`, 120_000, async () => (await api('GET', messagePath(answer))).body.status === 'sent');
    const bytes = head.length + fileBytes;
    const row = {
      run,
      acceptSeconds: accept.seconds,
      acceptMBps: bytes / MB / accept.seconds,
      baselineMBps: bytes / MB / baseline.seconds,
      rssBefore: accept.before,
      rssGrowth: accept.maxGrowth,
      benchGrowth: accept.benchGrowth,
      samples: accept.samples,
    };
    row.ratio = row.acceptMBps / row.baselineMBps;
    rows.push(row);
    console.log(
      `  run ${run}: accept ${fixed(row.acceptMBps, 1)} MB/s (${fixed(row.acceptSeconds, 2)} s), baseline ${fixed(row.baselineMBps, 1)} MB/s, ratio ${fixed(row.ratio, 2)}; ` +
        `app RSS +${fixed(row.rssGrowth, 1)} MB over ${fixed(row.rssBefore, 1)} MB (${row.samples} samples); bench RSS +${fixed(row.benchGrowth, 1)} MB`,
    );
  }
} catch (error) {
  console.error(server.output());
  throw error;
} finally {
  await server.stop();
}
const loadAfter = machineLoad();

const table = [
  '| run | accept | accept MB/s | baseline MB/s (write + fsync) | ratio | app RSS before | app RSS growth (max over 100 ms samples) | bench RSS growth |',
  '|---:|---:|---:|---:|---:|---:|---:|---:|',
  ...rows.map(
    (r) =>
      `| ${r.run} | ${fixed(r.acceptSeconds, 2)} s | ${fixed(r.acceptMBps, 1)} | ${fixed(r.baselineMBps, 1)} | **${fixed(r.ratio, 2)}** | ${fixed(r.rssBefore, 1)} MB | ` +
      `**${fixed(r.rssGrowth, 1)} MB** | ${fixed(r.benchGrowth, 1)} MB |`,
  ),
];
const worstGrowth = Math.max(...rows.map((r) => r.rssGrowth));
const medianRatio = median(rows.map((r) => r.ratio));
const verdicts = [
  `largest RSS growth during an accept ${fixed(worstGrowth, 1)} MB; goal < ${GOAL_RSS_MB} MB: ${worstGrowth < GOAL_RSS_MB ? 'met' : '**not met**'}`,
  `median accept / baseline ratio ${fixed(medianRatio, 2)} (each run: ${rows.map((r) => fixed(r.ratio, 2)).join(', ')}); goal >= ${GOAL_RATIO}: ${medianRatio >= GOAL_RATIO ? 'met' : '**not met**'}`,
];
if (rows.length < runs) problems.push(`only ${rows.length} of ${runs} runs finished`);
console.log(`\n${table.join('\n')}\n\n${verdicts.join('\n')}`);
console.log(`other work (and this bench) at the end: ${describeLoad(loadAfter)}`);

if (options.record && rows.length > 0) {
  const body = [
    `Last recorded ${utcNow()} with \`${recordedCommand('media')}\`; git ${gitDescribe(root)}.`,
    '',
    `${machineLine(machine, onTmpfs)} Other work on the machine: before the run ${describeLoad(loadBefore)}; at its end ${describeLoad(loadAfter)}.`,
    '',
    `One \`node dist/main.js\` (sqlite, simulator). Each run sends one ${options.mb} MB (10^6 bytes) document through \`POST /api/whatsapp/send-media\` as ` +
      'multipart, streamed from a file on disk by the bench (a head of its own per run, so each is a new blob); accept = first byte to the 202 ' +
      '(hashed, written, fsynced and renamed by the local blob store, the outbox row committed). App RSS from `/proc/{pid}/status` every 100 ms during ' +
      'the accept, against the sample just before it. Baseline: the same bytes from the same source file to a file in MEDIA_PATH (the same folder), ' +
      'then fsync, right before each accept. MB = 10^6 bytes.',
    '',
    ...table,
    '',
    ...verdicts.map((line) => `- ${line}`),
  ].join('\n');
  recordMarkedSection(path.join(root, 'docs/BENCHMARKS.md'), { key: 'media', title: 'Media (`npm run bench:media`)', command: 'npm run bench:media', body });
  console.log('\nrecorded in docs/BENCHMARKS.md');
}

finishBench({ problems, workDir, keep: options.keep });

/** `bytes` of noise to `file`, 1 MB at a time, fsynced, so the runs read it from the disk's page cache like any upload source. */
async function writeNoise(file, bytes) {
  const out = createWriteStream(file);
  for (let written = 0; written < bytes; written += MB) {
    if (!out.write(randomBytes(Math.min(MB, bytes - written)))) await new Promise((resolve) => out.once('drain', resolve));
  }
  await new Promise((resolve, reject) => out.end((error) => (error ? reject(error) : resolve())));
  await fsyncFile(file);
}

async function writeBaseline(head, target) {
  const started = performance.now();
  const out = createWriteStream(target);
  out.write(head);
  await pipeline(createReadStream(sourcePath), out);
  await fsyncFile(target);
  const seconds = (performance.now() - started) / 1000;
  await rm(target);
  return { seconds };
}

/** Runs `work` with the app's RSS (and this process's) sampled every SAMPLE_MS; growth against the sample just before. */
async function sampled(work) {
  const before = residentMiB(server.pid).rss;
  const benchBefore = process.memoryUsage.rss();
  let maxRss = before;
  let maxBench = benchBefore;
  let samples = 0;
  const take = () => {
    samples += 1;
    maxRss = Math.max(maxRss, residentMiB(server.pid).rss);
    maxBench = Math.max(maxBench, process.memoryUsage.rss());
  };
  const timer = setInterval(take, SAMPLE_MS);
  const started = performance.now();
  try {
    const result = await work();
    const seconds = (performance.now() - started) / 1000;
    take();
    const toMB = (mib) => (mib * 2 ** 20) / MB;
    return { result, seconds, samples, before: toMB(before), maxGrowth: toMB(maxRss - before), benchGrowth: (maxBench - benchBefore) / MB };
  } finally {
    clearInterval(timer);
  }
}

/** The multipart form, fields first, then the file part streamed from the source file: never built in memory. */
function postDocument(run, head) {
  const boundary = `----bench-media-${randomBytes(8).toString('hex')}`;
  const field = (name, value) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  const opening = Buffer.from(
    field('accountId', ACCOUNT) +
      field('to', '40712345678') +
      field('type', 'document') +
      field('requestId', `bench-media-${run}-${Date.now()}`) +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="statement-${run}.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
  );
  const closing = Buffer.from(`\r\n--${boundary}--\r\n`);
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: '127.0.0.1',
        port: server.port,
        method: 'POST',
        path: '/api/whatsapp/send-media',
        headers: {
          'x-api-key': API_KEY,
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'content-length': opening.length + head.length + fileBytes + closing.length,
        },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode, text }));
      },
    );
    request.on('error', reject);
    request.write(opening);
    request.write(head);
    const file = createReadStream(sourcePath);
    file.on('error', reject);
    file.on('end', () => request.end(closing));
    file.pipe(request, { end: false });
  });
}

async function api(method, route) {
  const response = await fetch(`http://127.0.0.1:${server.port}${route}`, { method, headers: { 'x-api-key': API_KEY } });
  return { status: response.status, body: await response.json().catch(() => ({})) };
}

function messagePath(answer) {
  return `/api/whatsapp/threads/${encodeURIComponent(answer.threadId)}/messages/${answer.messageId}`;
}

async function fsyncFile(file) {
  const handle = await open(file, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
