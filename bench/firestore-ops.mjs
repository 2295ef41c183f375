#!/usr/bin/env node
// Firestore operations per message lifecycle, measured on Google's Firestore emulator.
//
//   npm run bench:firestore-ops [-- --no-build --record]
//
// Runs the real application in this process (dist/, STORE=firestore, the simulator as WhatsApp), one
// account, pacing off, the poll interval at its maximum so only the send path's hand-off claims. Then,
// one step at a time: one outbound message accepted -> claimed -> sent -> delivered -> read, and one
// inbound message stored, then delivered again by WhatsApp. Every RPC the app's Firestore client sends
// is charged to the repository call that made it (bench/support/firestore-op-log.mjs); the tables say,
// per stage, RPCs (round trips), billed document reads and billed writes. Counts, not speed: the
// emulator is slow. Exit status 1 if a step does not end as the contract says. --record rewrites the
// figures between this benchmark's markers in docs/BENCHMARKS.md.
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { describeSource, ensureFreshBuild } from './support/build.mjs';
import { describeMachine } from './support/machine.mjs';
import { startFirestoreEmulator } from './support/firestore-emulator.mjs';
import { FirestoreOpLog } from './support/firestore-op-log.mjs';
import http from 'node:http';
import { lifecycleTotal, markdownTable, recordFirestoreOps, rpcsOf, stageTable, stagesOf, webhookTotal } from './support/firestore-ops-report.mjs';

const API_KEY = 'bench-key-0123456789abcdef';
const ACCOUNT = 'ops-account';
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values: options } = parseArgs({ options: { 'no-build': { type: 'boolean', default: false }, record: { type: 'boolean', default: false } } });

if (!options['no-build']) ensureFreshBuild(root);
const dist = createRequire(import.meta.url);
const load = (file) => dist(path.join(root, 'dist', file));
const { createApp } = load('app.factory.js');
const { loadAppConfig } = load('config/app-config.js');
const { FirestoreStore } = load('store/firestore/firestore-store.js');

const log = new FirestoreOpLog();
log.recordCalls({
  outbox: load('outbox/firestore/outbox.repository.firestore.js').FirestoreOutboxRepository,
  threads: load('messaging/firestore/thread.repository.firestore.js').FirestoreThreadRepository,
  statuses: load('receipts/firestore/message-status.repository.firestore.js').FirestoreMessageStatusRepository,
  contactAliases: load('messaging/firestore/contact-alias.repository.firestore.js').FirestoreContactAliasRepository,
  accounts: load('accounts/firestore/account.repository.firestore.js').FirestoreAccountRepository,
  sessions: load('accounts/firestore/session.repository.firestore.js').FirestoreSessionRepository,
  eventLog: load('events/firestore/event-log.repository.firestore.js').FirestoreEventLog,
  deliveries: load('webhooks/firestore/webhook-deliveries.repository.firestore.js').FirestoreWebhookDeliveries,
  endpoints: load('webhooks/firestore/webhook-endpoint.repository.firestore.js').FirestoreWebhookEndpointRepository,
});
const { WebhookDispatcher } = load('webhooks/webhook-dispatcher.service.js');
const { EVENT_SETTLE_MS } = load('events/firestore/event-log.repository.firestore.js');
log.recordServices({
  send: load('messaging/send.service.js').SendService,
  inbound: load('messaging/inbound.service.js').InboundService,
  receipts: load('receipts/receipts.service.js').ReceiptsService,
  processor: load('outbox/outbox-processor.service.js').OutboxProcessor,
  sendAttempts: load('outbox/send-attempts.js').SendAttempts,
});

async function until(condition, what, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const emulator = await startFirestoreEmulator();
let app;
const failures = [];
try {
  const config = loadAppConfig({
    STORE: 'firestore',
    FIREBASE_PROJECT_ID: 'demo-firestore-ops',
    FIRESTORE_EMULATOR_HOST: emulator.host,
    WA_PROVIDER: 'simulator',
    API_KEYS: API_KEY,
    WORKER_ID: 'ops-bench',
    SEND_MIN_INTERVAL_MS: '0',
    OUTBOX_POLL_MS: '600000',
    // The dispatcher runs when the webhook step asks, not on a poll that would charge every step.
    WEBHOOK_DISPATCH_POLL_MS: '60000',
    OUTBOUND_ALLOW_HOSTS: '127.0.0.1',
    OUTBOX_LEASE_MS: '3600000',
    ACCOUNT_LEASE_MS: '3600000',
    LOG_LEVEL: 'warn',
    RATE_LIMIT_PER_MINUTE: '0',
  });
  app = await createApp(config);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  log.countOperations(app.get(FirestoreStore).db);
  const api = async (method, url, body) => {
    const response = await app.inject({ method, url, headers: { 'x-api-key': API_KEY, 'content-type': 'application/json' }, payload: body && JSON.stringify(body) });
    return { status: response.statusCode, body: response.json() };
  };
  const settledCall = (mark, label) => log.calls.slice(mark).some((call) => call.label === label && call.outcome !== undefined);

  await api('POST', '/api/whatsapp/accounts', { accountId: ACCOUNT });
  await until(async () => (await api('GET', `/api/whatsapp/accounts/${ACCOUNT}`)).body.status === 'connected', 'the account to connect');
  await log.settled();

  const steps = [];
  const step = async (name, act, doneWhen) => {
    const mark = log.calls.length;
    const answer = await act();
    await until(() => settledCall(mark, doneWhen), `${name}: ${doneWhen}`);
    await log.settled();
    steps.push({ name, calls: stagesOf(name, log.since(mark)) });
    return answer;
  };

  const sent = await step('send', () => api('POST', '/api/whatsapp/send-message', { accountId: ACCOUNT, to: '40712345678', message: 'hello', requestId: 'ops-1' }), 'outbox.markSent');
  const { waMessageId, threadId, messageId } = sent.body;
  const receipts = `/api/whatsapp/simulator/accounts/${ACCOUNT}/receipts`;
  await step('delivered', () => api('POST', receipts, { waMessageId, status: 'delivered' }), 'statuses.advance');
  await step('read', () => api('POST', receipts, { waMessageId, status: 'read' }), 'statuses.advance');
  const inbound = { from: '40799999999', text: 'hi there', waMessageId: 'OPSINBOUND1' };
  await step('inbound', () => api('POST', `/api/whatsapp/simulator/accounts/${ACCOUNT}/inbound`, inbound), 'threads.storeProviderMessage');
  await step('inbound again', () => api('POST', `/api/whatsapp/simulator/accounts/${ACCOUNT}/inbound`, inbound), 'threads.storeProviderMessage');

  // One event delivered to one endpoint: the log fanned out up to now first (not counted), then an
  // endpoint for `message.received` and one inbound message; counted: the dispatch and the delivery.
  const received = [];
  const hookServer = http.createServer((req, res) => req.resume().on('end', () => (received.push(req.headers['webhook-id']), res.writeHead(204).end())));
  await new Promise((resolve) => hookServer.listen(0, '127.0.0.1', resolve));
  const dispatcher = app.get(WebhookDispatcher);
  await new Promise((resolve) => setTimeout(resolve, EVENT_SETTLE_MS + 200));
  await dispatcher.catchUp();
  await api('POST', '/api/whatsapp/webhooks', { url: `http://127.0.0.1:${hookServer.address().port}/hook`, events: ['message.received'] });
  await log.settled();
  await step(
    'webhook',
    async () => {
      await api('POST', `/api/whatsapp/simulator/accounts/${ACCOUNT}/inbound`, { from: '40788888888', text: 'for the webhook', waMessageId: 'OPSINBOUND2' });
      await new Promise((resolve) => setTimeout(resolve, EVENT_SETTLE_MS + 200));
      await dispatcher.catchUp();
    },
    'deliveries.record',
  );
  hookServer.close();
  if (received.length !== 1) failures.push(`the endpoint got ${received.length} deliveries, not 1`);

  // The outcomes the contract promises, read through the API once the counting is over.
  const outbound = await api('GET', `/api/whatsapp/threads/${encodeURIComponent(threadId)}/messages/${messageId}`);
  if (sent.status !== 202 || outbound.body.status !== 'read') failures.push(`outbound message ended ${outbound.body.status}, not read`);
  const inboundThread = `${ACCOUNT}__${inbound.from}@s.whatsapp.net`;
  const stored = await api('GET', `/api/whatsapp/threads/${encodeURIComponent(inboundThread)}/messages`);
  if (stored.body.items?.length !== 1) failures.push(`inbound thread holds ${stored.body.items?.length} messages, not 1`);

  const staged = steps.flatMap((s) => s.calls);
  const header = ['stage', 'RPCs', 'reads', 'writes', 'transactions'];
  const row = (r) => [r.stage, r.rpcs, r.reads, r.writes, r.transactions];
  const ofSteps = (...names) => steps.filter((s) => names.includes(s.name));
  const machine = describeMachine();
  const report = [
    `Recorded ${new Date().toISOString().slice(0, 10)}: \`npm run bench:firestore-ops -- --record\`, ${describeSource(root)}; ` +
      `Cloud Firestore emulator (gcloud), Node ${machine.node}, ${machine.nproc} × ${machine.cpuModel}. Counts do not depend on the machine.`,
    '\n**Per message**\n',
    markdownTable(header, [
      lifecycleTotal('one outbound message, accepted → sent → delivered → read', ofSteps('send', 'delivered', 'read')),
      lifecycleTotal('one inbound message, stored', ofSteps('inbound')),
      lifecycleTotal('the same inbound message delivered again', ofSteps('inbound again')),
      webhookTotal('one event delivered to one endpoint (dispatch, claim, attempt logged)', ofSteps('webhook')),
    ].map(row)),
    '\n**Per stage**\n',
    markdownTable(header, stageTable(staged).map(row)),
    '\n**Per repository call**\n',
    markdownTable(['step', 'call', 'outcome', 'RPCs sent', 'reads', 'writes'], steps.flatMap((s) => s.calls.map((c) => [s.name, c.label, c.outcome, rpcsOf(c), c.reads, c.writes]))),
    '\n(get N: documents looked up; query N: documents returned, an empty query billed as 1 read; Nw: writes in a commit; (tx): inside a transaction)',
  ].join('\n');
  console.log(`\n${report}`);
  if (failures.length === 0 && options.record) {
    recordFirestoreOps(path.join(root, 'docs/BENCHMARKS.md'), report);
    console.log('\nrecorded in docs/BENCHMARKS.md');
  }
} catch (error) {
  failures.push(error instanceof Error ? error.message : String(error));
} finally {
  await app?.close();
  await emulator.stop();
}
if (failures.length > 0) {
  console.error(`\nFAILED:\n  ${failures.join('\n  ')}`);
  process.exit(1);
}
