import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountOwnership } from '../../../src/accounts/account-ownership.service';
import { MESSAGE_ACK_FRAME } from '../../../src/whatsapp/baileys/socket-subscriptions';
import { messageAckFrame, nowSeconds } from '../../../src/whatsapp/simulator/simulated-events';
import { SimulatedSocket } from '../../../src/whatsapp/simulator/simulated-socket';
import { WhatsAppSimulator } from '../../../src/whatsapp/simulator/whatsapp-simulator';
import { TestApp, startTestApp } from '../../support/app';
import { eventually } from '../../support/eventually';
import { Scrape, scrape, valueOf } from './support/prometheus';

describe('Prometheus metrics at /metrics, moved by the app driven through the simulator', () => {
  let t: TestApp;
  let simulator: WhatsAppSimulator;
  const sockets = new Map<string, SimulatedSocket>();

  /** Scrapes until the series reaches `atLeast` (or 10 s pass); returns the last scrape. */
  const scrapeUntil = (name: string, labels: Record<string, string>, done: (value: number) => boolean) =>
    eventually(() => scrape(t), (samples) => done(valueOf(samples, name, labels)));
  const linkAccount = async (accountId: string) => {
    expect((await t.request('POST', '/api/whatsapp/accounts', { body: { accountId } })).status).toBe(201);
    await eventually(() => t.request('GET', `/api/whatsapp/accounts/${accountId}`), (r) => r.body.status === 'connected');
  };
  const send = async (accountId: string, to: string, message: string, requestId?: string) => {
    const accepted = await t.request('POST', '/api/whatsapp/send-message', { body: { accountId, to, message, ...(requestId ? { requestId } : {}) } });
    expect(accepted.status).toBe(202);
    return accepted.body as { threadId: string; messageId: string; waMessageId: string };
  };
  const statusOf = async (sent: { threadId: string; messageId: string }) =>
    (await t.request('GET', `/api/whatsapp/threads/${encodeURIComponent(sent.threadId)}/messages/${sent.messageId}`)).body.status as string;

  beforeAll(async () => {
    t = await startTestApp({ METRICS_STORE_READ_MS: '0', SEND_MIN_INTERVAL_MS: '0', OUTBOX_POLL_MS: '50', OUTBOX_MAX_ATTEMPTS: '2', WA_SIMULATOR_SEND_MS: '50' });
    simulator = t.app.get(WhatsAppSimulator);
    // Keep each account's latest socket, to make one of them answer as WhatsApp does when it refuses a send.
    const created = simulator.socketCreated.bind(simulator);
    simulator.socketCreated = (socket) => {
      sockets.set(socket.accountId, socket);
      created(socket);
    };
  });
  afterAll(() => t.close());

  it('answers without an API key, in Prometheus text, with the process defaults', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/plain');
    expect(response.body).toContain('process_cpu_user_seconds_total');
    expect(response.body).toContain('nodejs_eventloop_lag_seconds');
    expect(response.body).toContain('# TYPE whatsapp_send_latency_seconds histogram');
  });

  it('counts an account taken by claim, and shows it connected in the store and held here', async () => {
    const before = await scrape(t);
    await linkAccount('mLink');
    const after = await scrapeUntil('whatsapp_accounts', { status: 'connected' }, (n) => n >= valueOf(before, 'whatsapp_accounts', { status: 'connected' }) + 1);
    expect(valueOf(after, 'whatsapp_account_leases_taken_total')).toBe(valueOf(before, 'whatsapp_account_leases_taken_total') + 1);
    expect(valueOf(after, 'whatsapp_accounts_held', { connected: 'true' })).toBe(valueOf(before, 'whatsapp_accounts_held', { connected: 'true' }) + 1);
  });

  it('follows an accepted send through processing to sent: request, attempt, result and latency', async () => {
    await linkAccount('mSend');
    const before = await scrape(t);
    simulator.settings.sendMs = 600;
    const sent = await send('mSend', '40711000001', 'metrics: slow send');
    const during = await scrapeUntil('whatsapp_outbox_items', { status: 'processing' }, (n) => n >= 1);
    simulator.settings.sendMs = 50;
    expect(valueOf(during, 'whatsapp_outbox_items', { status: 'processing' })).toBe(1);
    await eventually(() => statusOf(sent), (status) => status === 'sent');
    const after = await scrape(t);
    const moved = (name: string, labels: Record<string, string> = {}) => valueOf(after, name, labels) - valueOf(before, name, labels);
    expect(moved('whatsapp_send_requests_total', { outcome: 'accepted' })).toBe(1);
    expect(moved('whatsapp_send_attempts_total')).toBe(1);
    expect(moved('whatsapp_send_results_total', { result: 'sent' })).toBe(1);
    expect(moved('whatsapp_send_latency_seconds_count')).toBe(1);
    // Accept to sent took the simulated 600 ms at least: the observation lands above the 0.5 s bucket.
    expect(moved('whatsapp_send_latency_seconds_bucket', { le: '0.5' })).toBe(0);
    expect(moved('whatsapp_send_latency_seconds_sum')).toBeGreaterThanOrEqual(0.6);
    expect(valueOf(after, 'whatsapp_outbox_items', { status: 'processing' })).toBe(0);
  });

  it('counts a retried request answered from idempotency as replayed, not accepted', async () => {
    await send('mSend', '40711000002', 'metrics: once', 'metrics-key-1');
    const before = await scrape(t);
    await send('mSend', '40711000002', 'metrics: once', 'metrics-key-1');
    const after = await scrape(t);
    expect(valueOf(after, 'whatsapp_send_requests_total', { outcome: 'replayed' }) - valueOf(before, 'whatsapp_send_requests_total', { outcome: 'replayed' })).toBe(1);
    expect(valueOf(after, 'whatsapp_send_requests_total', { outcome: 'accepted' })).toBe(valueOf(before, 'whatsapp_send_requests_total', { outcome: 'accepted' }));
  });

  it('shows a send queued while its account is stopped, and counts the operator reconnect that sends it', async () => {
    await linkAccount('mQueue');
    simulator.disconnect('mQueue', 'connectionReplaced');
    await eventually(() => t.request('GET', '/api/whatsapp/accounts/mQueue'), (r) => r.body.status === 'disconnected');
    const before = await scrape(t);
    const sent = await send('mQueue', '40711000003', 'metrics: waits');
    const waiting = await scrape(t);
    expect(valueOf(waiting, 'whatsapp_outbox_items', { status: 'queued' })).toBe(valueOf(before, 'whatsapp_outbox_items', { status: 'queued' }) + 1);
    expect(valueOf(waiting, 'whatsapp_accounts', { status: 'disconnected' })).toBeGreaterThanOrEqual(1);
    expect((await t.request('POST', '/api/whatsapp/accounts/mQueue/reconnect')).status).toBeLessThan(300);
    await eventually(() => statusOf(sent), (status) => status === 'sent');
    const after = await scrape(t);
    expect(valueOf(after, 'whatsapp_outbox_items', { status: 'queued' })).toBe(valueOf(before, 'whatsapp_outbox_items', { status: 'queued' }));
    expect(valueOf(after, 'whatsapp_account_reconnects_total', { trigger: 'operator' }) - valueOf(before, 'whatsapp_account_reconnects_total', { trigger: 'operator' })).toBe(1);
    expect(valueOf(after, 'whatsapp_socket_closes_total', { reason: 'connectionReplaced', reaction: 'stop' })).toBeGreaterThanOrEqual(1);
  });

  it('counts a transient failure, then gave_up when the attempts (2 here) run out', async () => {
    await linkAccount('mRetry');
    const before = await scrape(t);
    simulator.settings.failureRate = 1;
    try {
      const sent = await send('mRetry', '40711000004', 'metrics: refused twice');
      await eventually(() => statusOf(sent), (status) => status === 'failed');
    } finally {
      simulator.settings.failureRate = 0;
    }
    const after = await scrape(t);
    const moved = (result: string) => valueOf(after, 'whatsapp_send_results_total', { result }) - valueOf(before, 'whatsapp_send_results_total', { result });
    expect([moved('transient'), moved('gave_up'), moved('permanent')]).toEqual([1, 1, 0]);
    expect(valueOf(after, 'whatsapp_send_attempts_total') - valueOf(before, 'whatsapp_send_attempts_total')).toBe(2);
  });

  it('counts a send WhatsApp refuses for good (ack error 403) as permanent', async () => {
    await linkAccount('mRefused');
    const socket = sockets.get('mRefused')!;
    socket.sendMessage = async (jid, _content, options) => {
      setImmediate(() => socket.ws.emit(MESSAGE_ACK_FRAME, messageAckFrame({ waMessageId: options.messageId, chatJid: jid, seconds: nowSeconds(), error: '403' })));
      return undefined as never;
    };
    const before = await scrape(t);
    const sent = await send('mRefused', '40711000005', 'metrics: refused');
    await eventually(() => statusOf(sent), (status) => status === 'failed');
    const after = await scrape(t);
    expect(valueOf(after, 'whatsapp_send_results_total', { result: 'permanent' }) - valueOf(before, 'whatsapp_send_results_total', { result: 'permanent' })).toBe(1);
  });

  it('counts receipts by the status they carry and what they did', async () => {
    const sent = await send('mSend', '40711000006', 'metrics: receipts');
    await eventually(() => statusOf(sent), (status) => status === 'sent');
    const before = await scrape(t);
    simulator.injectReceipt('mSend', { waMessageId: sent.waMessageId, status: 'read' });
    await eventually(() => statusOf(sent), (status) => status === 'read');
    simulator.injectReceipt('mSend', { waMessageId: sent.waMessageId, status: 'delivered' });
    simulator.injectReceipt('mSend', { waMessageId: 'NEVERSENTBYUS', status: 'read', chatJid: '40711000006' });
    const key = (status: string, outcome: string) => ({ status, outcome });
    const after = await scrapeUntil('whatsapp_receipts_total', key('read', 'unknown'), (n) => n >= valueOf(before, 'whatsapp_receipts_total', key('read', 'unknown')) + 1);
    const moved = (status: string, outcome: string) => valueOf(after, 'whatsapp_receipts_total', key(status, outcome)) - valueOf(before, 'whatsapp_receipts_total', key(status, outcome));
    expect([moved('read', 'advanced'), moved('delivered', 'unchanged'), moved('read', 'unknown')]).toEqual([1, 1, 1]);
  });

  it('counts an inbound message stored once and its repeat as duplicate', async () => {
    const before = await scrape(t);
    for (let i = 0; i < 2; i++) simulator.injectInbound('mSend', { from: '40711000007', text: 'metrics: twice', waMessageId: 'METRICSDUP1' });
    const labels = { outcome: 'duplicate', direction: 'inbound' };
    const after = await scrapeUntil('whatsapp_inbound_messages_total', labels, (n) => n >= valueOf(before, 'whatsapp_inbound_messages_total', labels) + 1);
    const moved = (outcome: string) =>
      valueOf(after, 'whatsapp_inbound_messages_total', { outcome, direction: 'inbound' }) - valueOf(before, 'whatsapp_inbound_messages_total', { outcome, direction: 'inbound' });
    expect([moved('stored'), moved('duplicate')]).toEqual([1, 1]);
  });

  it('counts a lost connection and the reconnect it causes', async () => {
    const before = await scrape(t);
    simulator.disconnect('mLink', 'connectionLost');
    const trigger = { trigger: 'connectionLost' };
    const after = await scrapeUntil('whatsapp_account_reconnects_total', trigger, (n) => n >= valueOf(before, 'whatsapp_account_reconnects_total', trigger) + 1);
    const closes = { reason: 'connectionLost', reaction: 'reconnect' };
    expect(valueOf(after, 'whatsapp_socket_closes_total', closes) - valueOf(before, 'whatsapp_socket_closes_total', closes)).toBe(1);
    await eventually(() => t.request('GET', '/api/whatsapp/accounts/mLink'), (r) => r.body.status === 'connected');
  });

  it('counts an account lost when another owner took its lease', async () => {
    const before: Scrape = await scrape(t);
    // Another instance's claim, as the store would record it: new owner, next epoch.
    t.db().prepare(`UPDATE accounts SET owner = 'elsewhere/1', owner_epoch = owner_epoch + 1, lease_until = ? WHERE account_id = 'mLink'`)
      .run(Date.now() + 60_000);
    await t.app.get(AccountOwnership).tick();
    const after = await scrape(t);
    const why = { why: 'lease taken over or account deleted' };
    expect(valueOf(after, 'whatsapp_account_leases_lost_total', why) - valueOf(before, 'whatsapp_account_leases_lost_total', why)).toBe(1);
    expect(valueOf(after, 'whatsapp_accounts_held', { connected: 'true' })).toBe(valueOf(before, 'whatsapp_accounts_held', { connected: 'true' }) - 1);
  });
});
