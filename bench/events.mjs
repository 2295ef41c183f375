#!/usr/bin/env node
// Webhook deliveries on sqlite: how fast one process delivers, how soon an event's first attempt comes,
// and what registered endpoints cost the send path. The app is `node dist/main.js` with the zero-latency
// simulator and pacing off; the receiver (bench/support/webhook-receiver.mjs) is its own process on
// 127.0.0.1, answering 200 at once.
//
//   npm run bench:events [-- --events 10000 --rate 500 --send-rate 300 --seconds 10 --accounts 10 --concurrency 4]
//
// 1. Deliveries/s, measured alone: `events` events are logged (sends: accepted + sent each) and delivered
//    to one endpoint once (not measured); then one replay queues them all again and the clock runs from
//    its answer to the receiver's last request, with WEBHOOK_CONCURRENCY = `concurrency` (default 4).
// 2. Change to first attempt at a steady `rate` events/s (rate/2 sends/s, open loop) for `seconds`:
//    each event's first arrival at the receiver less its occurredAt (one clock: same machine).
// 3. Accept p99 at a fixed `send-rate` sends/s with no endpoint enabled, then with two, in alternating
//    windows (A B A B) in the same run: the ratio B/A.
// Goals (issue 14): >= 2,000 deliveries/s; p99 < 100 ms at 500 events/s; accept p99 with two endpoints
// <= 1.1x without. A missed goal is reported, not failed; an event not delivered fails the run.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { API_KEY, createAccounts, startApp } from './support/app-server.mjs';
import { COMMON_OPTIONS, finishBench, startBench } from './support/bench-run.mjs';
import { describeLoad, machineLoad } from './support/machine.mjs';
import { pacedSends } from './support/outbox-paced.mjs';
import { percentiles } from './support/outbox-store.mjs';

const GOALS = { deliveriesPerSecond: 2000, p99Ms: 100, acceptRatio: 1.1 };
const { values: options } = parseArgs({
  options: {
    events: { type: 'string', default: '10000' },
    rate: { type: 'string', default: '500' },
    'send-rate': { type: 'string', default: '300' },
    seconds: { type: 'string', default: '10' },
    accounts: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '4' },
    ...COMMON_OPTIONS,
  },
});
const settings = {
  events: Number(options.events),
  rate: Number(options.rate),
  sendRate: Number(options['send-rate']),
  seconds: Number(options.seconds),
  concurrency: options.concurrency,
  accountIds: Array.from({ length: Number(options.accounts) }, (_, i) => `bench-account-${String(i + 1).padStart(2, '0')}`),
};
const bench = startBench('events', options);
const problems = [];

const receiver = fork(path.join(bench.root, 'bench/support/webhook-receiver.mjs'));
const ask = async (op) => {
  receiver.send({ op });
  const [answer] = await once(receiver, 'message');
  return answer;
};
const [{ port: receiverPort }] = await once(receiver, 'message');
const app = await startApp({
  root: bench.root,
  name: 'app',
  sqlitePath: path.join(bench.workDir, 'whatsapp.db'),
  env: { WA_SIMULATOR_SEND_MS: '0', SEND_MIN_INTERVAL_MS: '0', OUTBOUND_ALLOW_HOSTS: `127.0.0.1:${receiverPort}`, WEBHOOK_DISPATCH_POLL_MS: '20', WEBHOOK_CONCURRENCY: settings.concurrency },
});

async function api(method, route, body) {
  const response = await fetch(`http://127.0.0.1:${app.port}${route}`, {
    method,
    headers: { 'x-api-key': API_KEY, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status >= 300) throw new Error(`${method} ${route}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}
const until = async (read, done, timeoutMs, what) => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value).slice(0, 200)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};
const sends = (rate, seconds, tag) => pacedSends({ ports: [app.port], apiKey: API_KEY, accountIds: settings.accountIds, recipients: 200, rate, seconds, tag });

try {
  await createAccounts(app.port, settings.accountIds);
  await until(() => api('GET', '/api/whatsapp/accounts?limit=200'), (page) => page.items.filter((a) => a.status === 'connected').length === settings.accountIds.length, 30_000, 'accounts connected');
  const hook = await api('POST', '/api/whatsapp/webhooks', { url: `http://127.0.0.1:${receiverPort}/hook`, events: ['message.accepted', 'message.sent'], description: 'bench' });

  // 1. Deliveries per second.
  const since = new Date().toISOString();
  await sends(500, settings.events / 2 / 500, 'fill');
  const filled = await until(() => ask('stats'), (s) => s.distinct >= settings.events, 120_000, 'the first delivery of every event');
  const replayStart = Date.now();
  const replay = await api('POST', `/api/whatsapp/webhooks/${hook.webhookId}/replay`, { since });
  const replayed = await until(() => ask('stats'), (s) => s.requests >= filled.requests + replay.events, 120_000, 'the replay delivered');
  const replayMs = Date.now() - replayStart;
  const deliveriesPerSecond = (replay.events / replayMs) * 1000;
  if (replay.events < settings.events) problems.push(`the replay queued ${replay.events} events, not ${settings.events}`);
  console.log(`\n1. deliveries: ${replay.events} replayed events delivered in ${replayMs} ms at WEBHOOK_CONCURRENCY=${settings.concurrency}: ${deliveriesPerSecond.toFixed(0)}/s (goal >= ${GOALS.deliveriesPerSecond}) [${replayed.requests} requests in all]`);

  // 2. Change to first attempt at a steady rate.
  await ask('mark');
  const steady = await sends(settings.rate / 2, settings.seconds, 'steady');
  await until(() => ask('stats'), (s) => s.latencies.length >= steady.total * 2, 60_000, 'every steady event delivered');
  const { latencies } = await ask('stats');
  const p = percentiles(latencies);
  console.log(`2. change to first attempt at ${settings.rate} events/s for ${settings.seconds} s (${latencies.length} events): p50 ${p[0.5]} ms, p90 ${p[0.9]} ms, p99 ${p[0.99]} ms, max ${p[1]} ms (goal p99 < ${GOALS.p99Ms} ms); sender lag max ${steady.maxLagMs.toFixed(0)} ms`);

  // 3. Accept p99 without and with two endpoints, alternating windows.
  const second = await api('POST', '/api/whatsapp/webhooks', { url: `http://127.0.0.1:${receiverPort}/hook2`, description: 'bench 2' });
  const setEnabled = (enabled) => Promise.all([hook, second].map((h) => api('PATCH', `/api/whatsapp/webhooks/${h.webhookId}`, { enabled })));
  const windows = { without: [], with: [] };
  await setEnabled(false);
  await sends(settings.sendRate, 3, 'warmup');
  for (const [i, mode] of ['without', 'with', 'without', 'with'].entries()) {
    await setEnabled(mode === 'with');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const run = await sends(settings.sendRate, settings.seconds, `accept-${i}`);
    if (Object.keys(run.statusCounts).some((status) => status !== '202')) problems.push(`window ${i}: answers ${JSON.stringify(run.statusCounts)}`);
    windows[mode].push(...run.acceptMs);
    console.log(`   window ${i + 1} (${mode} endpoints): accept p50 ${percentiles(run.acceptMs)[0.5].toFixed(2)} ms, p99 ${percentiles(run.acceptMs)[0.99].toFixed(2)} ms`);
  }
  const p99 = (mode) => percentiles(windows[mode])[0.99];
  const ratio = p99('with') / p99('without');
  console.log(`3. accept p99 at ${settings.sendRate} sends/s: ${p99('without').toFixed(2)} ms without endpoints, ${p99('with').toFixed(2)} ms with two: ${ratio.toFixed(2)}x (goal <= ${GOALS.acceptRatio}x)`);
  console.log(`\nother work after: ${describeLoad(machineLoad())}`);
} catch (error) {
  problems.push(String(error?.stack ?? error));
} finally {
  await app.stop();
  receiver.kill();
}
finishBench({ problems, workDir: bench.workDir, keep: options.keep });
