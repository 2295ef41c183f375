import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestApp, startTestApp } from '../support/app';
import { eventually } from '../support/eventually';

describe('the simulator routes', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ WA_SIMULATOR_REQUIRE_SCAN: 'true', SEND_MIN_INTERVAL_MS: '0' });
    await t.request('POST', '/api/whatsapp/accounts', { body: { accountId: 'sim1' } });
  });
  afterAll(() => t.close());
  const account = () => t.request('GET', '/api/whatsapp/accounts/sim1');

  it('scan links the account waiting in qr', async () => {
    await eventually(account, (r) => r.body.status === 'qr');
    expect((await t.request('POST', '/api/whatsapp/simulator/accounts/sim1/scan')).status).toBe(202);
    expect((await eventually(account, (r) => r.body.status === 'connected')).body.status).toBe('connected');
  });

  it('inbound stores a client message in its thread; the same id again stores nothing new', async () => {
    for (let i = 0; i < 2; i++) {
      const r = await t.request('POST', '/api/whatsapp/simulator/accounts/sim1/inbound', { body: { from: '+40 711 000 111', text: 'hi there', waMessageId: 'SIMIN1' } });
      expect(r.status).toBe(202);
    }
    const url = `/api/whatsapp/threads/${encodeURIComponent('sim1__40711000111@s.whatsapp.net')}/messages`;
    const messages = await eventually(() => t.request('GET', url), (r) => r.body.items?.length === 1);
    expect(messages.body.items).toMatchObject([{ direction: 'inbound', text: 'hi there', waMessageId: 'SIMIN1' }]);
  });

  it('receipts move a sent message forward, by name or by Baileys number', async () => {
    const sent = await t.request('POST', '/api/whatsapp/send-message', { body: { accountId: 'sim1', to: '40711000222', message: 'yo' } });
    const url = `/api/whatsapp/threads/${encodeURIComponent(sent.body.threadId)}/messages/${sent.body.messageId}`;
    await eventually(() => t.request('GET', url), (r) => r.body.status === 'sent');
    expect((await t.request('POST', '/api/whatsapp/simulator/accounts/sim1/receipts', { body: { waMessageId: sent.body.waMessageId, status: 3 } })).status).toBe(202);
    expect((await eventually(() => t.request('GET', url), (r) => r.body.status === 'delivered')).body.status).toBe('delivered');
    await t.request('POST', '/api/whatsapp/simulator/accounts/sim1/receipts', { body: { waMessageId: sent.body.waMessageId, status: 'read' } });
    expect((await eventually(() => t.request('GET', url), (r) => r.body.status === 'read')).body.status).toBe('read');
  });

  it('disconnect closes the socket with the named reason', async () => {
    expect((await t.request('POST', '/api/whatsapp/simulator/accounts/sim1/disconnect', { body: { reason: 'connectionReplaced' } })).status).toBe(202);
    expect((await eventually(account, (r) => r.body.lastDisconnectReason === 'connectionReplaced')).body.status).toBe('disconnected');
  });

  it.each([
    ['unknown reason', 'disconnect', { reason: 'meteor' }, 400, /^reason: /],
    ['bad status', 'receipts', { waMessageId: 'X1', status: 'seen' }, 400, /^status: /],
    ['bad id', 'receipts', { waMessageId: 'a/b', status: 'read' }, 400, /^waMessageId: /],
    ['bad from', 'inbound', { from: 'nobody', text: 'x' }, 400, /^from: /],
  ])('refuses %s naming the field', async (_name, route, body, status, message) => {
    const r = await t.request('POST', `/api/whatsapp/simulator/accounts/sim1/${route}`, { body });
    expect(r.status).toBe(status);
    expect(r.body.message).toMatch(message);
  });

  it('answers 404 for an unknown account', async () => {
    const r = await t.request('POST', '/api/whatsapp/simulator/accounts/ghost/inbound', { body: { from: '40711000111', text: 'x' } });
    expect(r.status).toBe(404);
  });
});

describe('without the simulator', () => {
  it('has no simulator routes', async () => {
    const t = await startTestApp({ WA_PROVIDER: 'baileys' });
    const r = await t.request('POST', '/api/whatsapp/simulator/accounts/x/scan');
    expect(r.status).toBe(404);
    await t.close();
  });
});
