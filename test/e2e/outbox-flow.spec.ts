import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestApp, startTestApp } from '../support/app';
import { eventually } from '../support/eventually';

describe('an accepted send on the simulator', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ SEND_MIN_INTERVAL_MS: '0', OUTBOX_POLL_MS: '100' });
  });
  afterAll(() => t.close());

  it('links the new account and ends the message sent', async () => {
    expect((await t.request('POST', '/api/whatsapp/accounts', { body: { accountId: 'acc1' } })).status).toBe(201);
    const account = await eventually(() => t.request('GET', '/api/whatsapp/accounts/acc1'), (r) => r.body.status === 'connected');
    expect(account.body).toMatchObject({ status: 'connected', ownerWorkerId: expect.any(String) });
    const accepted = await t.request('POST', '/api/whatsapp/send-message', { body: { accountId: 'acc1', to: '40712345678', message: 'hello' } });
    expect(accepted.status).toBe(202);
    const url = `/api/whatsapp/threads/${encodeURIComponent(accepted.body.threadId)}/messages/${accepted.body.messageId}`;
    const message = await eventually(() => t.request('GET', url), (r) => r.body.status === 'sent');
    expect(message.body).toMatchObject({ status: 'sent', sentAt: expect.any(String) });
  });
});
