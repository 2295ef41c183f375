import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestApp, startTestApp } from '../support/app';
import { eventually } from '../support/eventually';
import { readSimulatorLog } from '../support/simulator-log';

/** Every send fails at once (one attempt, the simulator refuses it): the operator's failed sends. */
describe('failed sends and the account summary through HTTP', () => {
  let t: TestApp;
  let logPath: string;
  beforeAll(async () => {
    const dir = (await import('node:fs')).mkdtempSync(join((await import('node:os')).tmpdir(), 'wa-operator-'));
    logPath = join(dir, 'simulator.log');
    t = await startTestApp({ SEND_MIN_INTERVAL_MS: '0', OUTBOX_POLL_MS: '100', OUTBOX_MAX_ATTEMPTS: '1', WA_SIMULATOR_FAILURE_RATE: '1', WA_SIMULATOR_LOG: logPath }, dir);
    for (const accountId of ['acc1', 'acc2']) {
      expect((await t.request('POST', '/api/whatsapp/accounts', { body: { accountId, name: accountId } })).status).toBe(201);
      await eventually(() => t.request('GET', `/api/whatsapp/accounts/${accountId}`), (r) => r.body.status === 'connected');
    }
  });
  afterAll(() => t.close());

  const asKey = async (key: string, method: string, url: string) => t.request(method, url, { headers: { 'x-api-key': key } });

  it('lists a failed send with its reason, counts it in the summary, and retries it under the same WhatsApp id', async () => {
    const accepted = await t.request('POST', '/api/whatsapp/send-message', { body: { accountId: 'acc1', to: '40712345678', message: 'will fail' } });
    expect(accepted.status).toBe(202);
    const messageUrl = `/api/whatsapp/threads/${encodeURIComponent(accepted.body.threadId)}/messages/${accepted.body.messageId}`;
    expect((await eventually(() => t.request('GET', messageUrl), (r) => r.body.status === 'failed')).body.status).toBe('failed');

    const failed = await t.request('GET', '/api/whatsapp/outbox?accountId=acc1&status=failed');
    expect(failed.status).toBe(200);
    expect(failed.body).toMatchObject({ items: [{ requestId: accepted.body.requestId, to: '40712345678@s.whatsapp.net', text: 'will fail', status: 'failed', attempts: 1, failureReason: 'maxAttempts' }], nextCursor: null });
    expect(failed.body.items[0].lastError).toEqual(expect.any(String));
    const summary = await t.request('GET', '/api/whatsapp/accounts/acc1/summary');
    expect(summary.body).toMatchObject({ accountId: 'acc1', status: 'connected', ownerWorkerId: expect.any(String), outbox: { queued: 0, processing: 0, failed: 1 }, lastInboundAt: null, lastOutboundAt: expect.any(String) });

    // Held still (a replaced connection is not reopened by itself), so the retried send stays queued.
    expect((await t.request('POST', '/api/whatsapp/simulator/accounts/acc1/disconnect', { body: { reason: 'connectionReplaced' } })).status).toBe(202);
    await eventually(() => t.request('GET', '/api/whatsapp/accounts/acc1'), (r) => r.body.status === 'disconnected');
    const retried = await t.request('POST', `/api/whatsapp/outbox/acc1/${accepted.body.requestId}/retry`);
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ requestId: accepted.body.requestId, messageId: accepted.body.messageId, status: 'queued', attempts: 0, failureReason: null, lastError: null });
    expect((await t.request('GET', messageUrl)).body.status).toBe('queued');
    const again = await t.request('POST', `/api/whatsapp/outbox/acc1/${accepted.body.requestId}/retry`);
    expect(again).toMatchObject({ status: 409, body: { message: expect.stringContaining('is queued') } });

    expect((await t.request('POST', '/api/whatsapp/accounts/acc1/reconnect')).status).toBe(202);
    await eventually(() => t.request('GET', messageUrl), (r) => r.body.status === 'failed');
    const sends = readSimulatorLog(logPath).filter((line) => line.type === 'send' && line.text === 'will fail');
    expect(sends).toHaveLength(2);
    expect(new Set(sends.map((line) => (line as { waMessageId: string }).waMessageId)).size).toBe(1);
  });

  it('answers 404 for an unknown send or account and 400 naming a wrong field', async () => {
    expect((await t.request('POST', '/api/whatsapp/outbox/acc1/req-nope/retry')).status).toBe(404);
    expect((await t.request('POST', '/api/whatsapp/outbox/nobody/req-nope/retry')).body.message).toContain('accountId');
    expect((await t.request('GET', '/api/whatsapp/outbox?accountId=nobody')).status).toBe(404);
    expect((await t.request('GET', '/api/whatsapp/accounts/nobody/summary')).status).toBe(404);
    const wrong = await t.request('GET', '/api/whatsapp/outbox?accountId=acc1&status=lost');
    expect(wrong).toMatchObject({ status: 400, body: { message: expect.stringContaining('status:') } });
    expect((await t.request('GET', '/api/whatsapp/outbox')).body.message).toContain('accountId:');
  });

  it("keeps to an account key's accounts and scopes: read lists and summarises, send retries", async () => {
    const reader = (await t.request('POST', '/api/whatsapp/keys', { body: { name: 'reader', accountIds: ['acc1'], scopes: ['read'] } })).body.key as string;
    expect((await asKey(reader, 'GET', '/api/whatsapp/outbox?accountId=acc1&status=failed')).status).toBe(200);
    expect((await asKey(reader, 'GET', '/api/whatsapp/accounts/acc1/summary')).status).toBe(200);
    expect((await asKey(reader, 'GET', '/api/whatsapp/accounts/acc2/summary')).status).toBe(404);
    expect((await asKey(reader, 'GET', '/api/whatsapp/outbox?accountId=acc2')).status).toBe(404);
    const refused = await asKey(reader, 'POST', '/api/whatsapp/outbox/acc1/req-any/retry');
    expect(refused).toMatchObject({ status: 403, body: { message: expect.stringContaining('"send"') } });
  });
});
