import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InboundService } from '../../src/messaging/inbound.service';
import { WhatsAppSimulator } from '../../src/whatsapp/simulator/whatsapp-simulator';
import { TestApp, startTestApp } from '../support/app';
import { eventually } from '../support/eventually';

describe('inbound messages and receipts, through the simulator (Baileys event shapes)', () => {
  let t: TestApp;
  let simulator: WhatsAppSimulator;
  const rows = <T>(sql: string, ...params: unknown[]) => t.db().prepare(sql).all(...params) as T[];
  const messagesOf = (threadId: string) => rows<{ text: string; status: string; direction: string }>('SELECT * FROM messages WHERE thread_id = ? ORDER BY created_at', threadId);
  const threadsOf = (accountId: string) => rows<{ thread_id: string; last_message_text: string }>('SELECT * FROM threads WHERE account_id = ? ORDER BY thread_id', accountId);
  const connected = (accountId: string) => eventually(() => t.request('GET', `/api/whatsapp/accounts/${accountId}`), (r) => r.body.status === 'connected');

  beforeAll(async () => {
    t = await startTestApp({ SEND_MIN_INTERVAL_MS: '0', OUTBOX_POLL_MS: '50', WA_SIMULATOR_SEND_MS: '300' });
    simulator = t.app.get(WhatsAppSimulator);
    for (const accountId of ['accA', 'accB']) await t.request('POST', '/api/whatsapp/accounts', { body: { accountId } });
    await connected('accA');
    await connected('accB');
  });
  afterAll(() => t.close());

  it('stores one message delivered three times, and once more as append after a reconnect, once', async () => {
    for (let i = 0; i < 3; i++) simulator.injectInbound('accA', { from: '40711111111', text: 'hello thrice', waMessageId: 'DUP1' });
    await eventually(() => messagesOf('accA__40711111111@s.whatsapp.net'), (m) => m.length > 0);
    simulator.disconnect('accA', 'connectionLost');
    await eventually(() => t.request('GET', '/api/whatsapp/accounts/accA'), (r) => r.body.status !== 'connected', 3000);
    const queued = simulator.injectInbound('accA', { from: '40711111111', text: 'hello thrice', waMessageId: 'DUP1' });
    expect(queued.delivered).toBe(false);
    await connected('accA');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(messagesOf('accA__40711111111@s.whatsapp.net')).toHaveLength(1);
    expect(messagesOf('accA__40711111111@s.whatsapp.net')[0]).toMatchObject({ text: 'hello thrice', direction: 'inbound' });
  });

  it('files a device-suffixed JID in the same thread as the bare number', async () => {
    simulator.injectInbound('accA', { from: '40722222222@s.whatsapp.net', text: 'from phone', waMessageId: 'DEV1' });
    simulator.injectInbound('accA', { from: '40722222222:17@s.whatsapp.net', text: 'from laptop', waMessageId: 'DEV2' });
    const messages = await eventually(() => messagesOf('accA__40722222222@s.whatsapp.net'), (m) => m.length === 2);
    expect(messages.map((m) => m.text).sort()).toEqual(['from laptop', 'from phone']);
  });

  it('gives one client writing to two accounts two threads, and an inbound on A never touches B', async () => {
    const bBefore = threadsOf('accB');
    simulator.injectInbound('accA', { from: '40733333333', text: 'to A', waMessageId: 'TWO1' });
    await eventually(() => messagesOf('accA__40733333333@s.whatsapp.net'), (m) => m.length === 1);
    expect(threadsOf('accB')).toEqual(bBefore);
    simulator.injectInbound('accB', { from: '40733333333', text: 'to B', waMessageId: 'TWO1' });
    await eventually(() => messagesOf('accB__40733333333@s.whatsapp.net'), (m) => m.length === 1);
    expect(messagesOf('accA__40733333333@s.whatsapp.net').map((m) => m.text)).toEqual(['to A']);
    expect(messagesOf('accB__40733333333@s.whatsapp.net').map((m) => m.text)).toEqual(['to B']);
  });

  it('lands the @lid and phone-number forms of one contact in one thread', async () => {
    const inbound = t.app.get(InboundService);
    const base = { fromMe: false, timestamp: Date.now(), type: 'text' as const, media: null, mediaSource: null, content: null, participant: null, upsertType: 'notify' as const };
    await inbound.store('accA', { ...base, chatJid: '40744444444@s.whatsapp.net', chatAltJid: '123456789012345@lid', waMessageId: 'LID1', text: 'by number' });
    await inbound.store('accA', { ...base, chatJid: '123456789012345@lid', chatAltJid: null, waMessageId: 'LID2', text: 'by lid' });
    expect(messagesOf('accA__40744444444@s.whatsapp.net').map((m) => m.text).sort()).toEqual(['by lid', 'by number']);
    expect(messagesOf('accA__123456789012345@lid')).toEqual([]);
    // A contact first seen by LID alone keeps the LID thread, also once its number becomes known.
    await inbound.store('accA', { ...base, chatJid: '999888777666@lid', chatAltJid: null, waMessageId: 'LID3', text: 'lid first' });
    await inbound.store('accA', { ...base, chatJid: '40755555555@s.whatsapp.net', chatAltJid: '999888777666@lid', waMessageId: 'LID4', text: 'then number' });
    expect(messagesOf('accA__999888777666@lid').map((m) => m.text).sort()).toEqual(['lid first', 'then number']);
  });

  it('moves statuses forward only, whatever order and however often receipts arrive', async () => {
    const sent = await t.request('POST', '/api/whatsapp/send-message', { body: { accountId: 'accA', to: '40766666666', message: 'status trip' } });
    const url = `/api/whatsapp/threads/${encodeURIComponent(sent.body.threadId)}/messages/${sent.body.messageId}`;
    await eventually(() => t.request('GET', url), (r) => r.body.status === 'sent');
    for (const status of ['read', 'delivered', 'read', 'sent', 'delivered'] as const) simulator.injectReceipt('accA', { waMessageId: sent.body.waMessageId, status });
    const message = await eventually(() => t.request('GET', url), (r) => r.body.status === 'read' && r.body.deliveredAt);
    expect(message.body).toMatchObject({ status: 'read', sentAt: expect.any(String), deliveredAt: expect.any(String), readAt: expect.any(String) });
    simulator.injectReceipt('accA', { waMessageId: sent.body.waMessageId, status: 'played' });
    expect((await eventually(() => t.request('GET', url), (r) => r.body.status === 'played')).body.status).toBe('played');
  });

  it('keeps a receipt that arrives before the send is recorded, and the later ack does not move it back', async () => {
    const sent = await t.request('POST', '/api/whatsapp/send-message', { body: { accountId: 'accA', to: '40777777777', message: 'fast reader' } });
    const url = `/api/whatsapp/threads/${encodeURIComponent(sent.body.threadId)}/messages/${sent.body.messageId}`;
    simulator.injectReceipt('accA', { waMessageId: sent.body.waMessageId, status: 'delivered', chatJid: '40777777777@s.whatsapp.net' });
    await eventually(() => t.request('GET', url), (r) => r.body.status === 'delivered');
    const final = await eventually(() => t.request('GET', url), (r) => r.body.sentAt !== undefined);
    expect(final.body).toMatchObject({ status: 'delivered', sentAt: expect.any(String), deliveredAt: expect.any(String) });
  });

  it('changes nothing on account B for a receipt on account A with the same WhatsApp id', async () => {
    simulator.injectInbound('accA', { from: '40788888888', text: 'typed on A', waMessageId: 'SAMEID', fromMe: true });
    simulator.injectInbound('accB', { from: '40788888888', text: 'typed on B', waMessageId: 'SAMEID', fromMe: true });
    await eventually(() => [...messagesOf('accA__40788888888@s.whatsapp.net'), ...messagesOf('accB__40788888888@s.whatsapp.net')], (m) => m.length === 2);
    simulator.injectReceipt('accA', { waMessageId: 'SAMEID', status: 'read', chatJid: '40788888888@s.whatsapp.net' });
    await eventually(() => messagesOf('accA__40788888888@s.whatsapp.net'), (m) => m[0].status === 'read');
    expect(messagesOf('accB__40788888888@s.whatsapp.net')[0]).toMatchObject({ status: 'sent', direction: 'outbound' });
  });

  it('ignores a receipt for an unknown id, creating nothing', async () => {
    const before = rows<{ n: number }>('SELECT COUNT(*) AS n FROM messages')[0].n;
    simulator.injectReceipt('accA', { waMessageId: 'NEVERSENT', status: 'read', chatJid: '40799999999@s.whatsapp.net' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(rows<{ n: number }>('SELECT COUNT(*) AS n FROM messages')[0].n).toBe(before);
    expect(rows('SELECT * FROM threads WHERE thread_id = ?', 'accA__40799999999@s.whatsapp.net')).toEqual([]);
  });

  it('fails a send WhatsApp rejected for good (ERROR 403) and never retries it', async () => {
    const sent = await t.request('POST', '/api/whatsapp/send-message', { body: { accountId: 'accB', to: '40712121212', message: 'rejected' } });
    simulator.injectReceipt('accB', { waMessageId: sent.body.waMessageId, status: 'error', errorCode: '403', chatJid: '40712121212@s.whatsapp.net' });
    const url = `/api/whatsapp/threads/${encodeURIComponent(sent.body.threadId)}/messages/${sent.body.messageId}`;
    const message = await eventually(() => t.request('GET', url), (r) => r.body.status === 'failed');
    expect(message.body).toMatchObject({ status: 'failed', failureReason: 'rejected', error: expect.stringContaining('403') });
    const item = rows<{ status: string }>('SELECT status FROM outbox WHERE wa_message_id = ?', sent.body.waMessageId)[0];
    expect(item.status).toBe('failed');
  });
});
