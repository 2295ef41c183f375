import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestApp, startTestApp } from '../support/app';

describe('POST /api/whatsapp/send-message', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    for (const accountId of ['acc1', 'acc2']) expect((await t.request('POST', '/api/whatsapp/accounts', { body: { accountId } })).status).toBe(201);
  });
  afterAll(() => t.close());

  const send = (body: unknown, headers?: Record<string, string>) => t.request('POST', '/api/whatsapp/send-message', { body, headers });
  const countRows = (table: string) => (t.db().prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;

  it('accepts with 202, and the queued message and outbox item are in the store', async () => {
    const response = await send({ accountId: 'acc1', to: '+40 712 345 678', message: 'Hello' });
    expect(response.status).toBe(202);
    expect(response.body).toMatchObject({ threadId: 'acc1__40712345678@s.whatsapp.net', status: 'queued' });
    expect(response.body.waMessageId).toMatch(/^3EB0[0-9A-F]{18}$/);
    const message = await t.request('GET', `/api/whatsapp/threads/${encodeURIComponent(response.body.threadId)}/messages/${response.body.messageId}`);
    expect(message.status).toBe(200);
    expect(message.body).toMatchObject({ status: 'queued', text: 'Hello', direction: 'outbound', waMessageId: response.body.waMessageId });
  });

  it('answers a retry with the same key and request with the first answer, and sends nothing new', async () => {
    const first = await send({ accountId: 'acc1', to: '40712345678', message: 'once', requestId: 'order-17' });
    const again = await send({ accountId: 'acc1', to: '+40712345678', message: 'once' }, { 'idempotency-key': 'order-17' });
    expect(again.status).toBe(202);
    expect(again.body).toEqual(first.body);
    const thread = await t.request('GET', `/api/whatsapp/threads/${encodeURIComponent(first.body.threadId)}/messages?limit=200`);
    expect(thread.body.items.filter((m: { text: string }) => m.text === 'once')).toHaveLength(1);
  });

  it('refuses the same key with another request with 409', async () => {
    await send({ accountId: 'acc1', to: '40712345678', message: 'A', requestId: 'order-18' });
    const conflict = await send({ accountId: 'acc1', to: '40712345678', message: 'B', requestId: 'order-18' });
    expect(conflict.status).toBe(409);
    expect(conflict.body.message).toMatch(/^requestId: /);
  });

  it('scopes keys per account: one key on two accounts gives two sends in two threads', async () => {
    const a = await send({ accountId: 'acc1', to: '40799999999', message: 'hi', requestId: 'shared' });
    const b = await send({ accountId: 'acc2', to: '40799999999', message: 'hi', requestId: 'shared' });
    expect([a.status, b.status]).toEqual([202, 202]);
    expect(a.body.threadId).toBe('acc1__40799999999@s.whatsapp.net');
    expect(b.body.threadId).toBe('acc2__40799999999@s.whatsapp.net');
    expect(a.body.waMessageId).not.toBe(b.body.waMessageId);
  });

  it('gives 20 concurrent identical requests one message', async () => {
    const body = { accountId: 'acc2', to: '40711111111', message: 'burst', requestId: 'burst-1' };
    const answers = await Promise.all(Array.from({ length: 20 }, () => send(body)));
    expect(answers.every((a) => a.status === 202)).toBe(true);
    expect(new Set(answers.map((a) => a.body.messageId)).size).toBe(1);
    const messages = await t.request('GET', `/api/whatsapp/threads/${encodeURIComponent('acc2__40711111111@s.whatsapp.net')}/messages`);
    expect(messages.body.items).toHaveLength(1);
  });

  it('commits a batch that holds a duplicate and a failing request: the others are stored', async () => {
    const batch = await Promise.all([
      send({ accountId: 'acc1', to: '40722222222', message: 'b1', requestId: 'batch-1' }),
      send({ accountId: 'acc1', to: '40722222222', message: 'b1', requestId: 'batch-1' }),
      send({ accountId: 'ghost', to: '40722222222', message: 'b2' }),
      send({ accountId: 'acc1', to: '40722222222', message: 'b3', requestId: 'batch-3' }),
    ]);
    expect(batch.map((r) => r.status)).toEqual([202, 202, 404, 202]);
    const messages = await t.request('GET', `/api/whatsapp/threads/${encodeURIComponent('acc1__40722222222@s.whatsapp.net')}/messages`);
    expect(messages.body.items.map((m: { text: string }) => m.text).sort()).toEqual(['b1', 'b3']);
  });

  describe('bad input gets a 4xx naming the field, and stores nothing', () => {
    const cases: Array<[string, { body?: unknown; rawBody?: string; headers?: Record<string, string> }, number, RegExp]> = [
      ['missing accountId', { body: { to: '40712345678', message: 'x' } }, 400, /accountId: /],
      ['empty message', { body: { accountId: 'acc1', to: '40712345678', message: '' } }, 400, /message: /],
      ['missing to', { body: { accountId: 'acc1', message: 'x' } }, 400, /to: /],
      ['message not a string', { body: { accountId: 'acc1', to: '40712345678', message: 42 } }, 400, /message: /],
      ['to not a string', { body: { accountId: 'acc1', to: 40712345678, message: 'x' } }, 400, /to: /],
      ['malformed JSON', { rawBody: '{"accountId": "acc1", ' }, 400, /body: /],
      ['body over the size limit', { rawBody: JSON.stringify({ accountId: 'acc1', to: '40712345678', message: 'x'.repeat(400_000) }) }, 413, /body: /],
      ['unknown account', { body: { accountId: 'nobody', to: '40712345678', message: 'x' } }, 404, /accountId: /],
      ['phone with letters', { body: { accountId: 'acc1', to: '40712abc678', message: 'x' } }, 400, /to: /],
      ['phone without country code', { body: { accountId: 'acc1', to: '0712345678', message: 'x' } }, 400, /to: /],
      ['phone too short', { body: { accountId: 'acc1', to: '12345', message: 'x' } }, 400, /to: /],
      ['text over WhatsApp limit', { body: { accountId: 'acc1', to: '40712345678', message: 'x'.repeat(65_537) } }, 400, /message: /],
      ['account id with /', { body: { accountId: 'acc1/../acc2', to: '40712345678', message: 'x' } }, 400, /accountId: /],
      ['account id with ..', { body: { accountId: '..', to: '40712345678', message: 'x' } }, 400, /accountId: /],
      ['account id with __', { body: { accountId: 'acc1__x', to: '40712345678', message: 'x' } }, 400, /accountId: /],
      ['request id with /', { body: { accountId: 'acc1', to: '40712345678', message: 'x', requestId: 'a/b' } }, 400, /requestId: /],
      ['request id with ..', { body: { accountId: 'acc1', to: '40712345678', message: 'x', requestId: 'a..b' } }, 400, /requestId: /],
      // `a_` + `b` is outbox item `a___b`; `a` + `_b` would be the same one (src/common/ids.ts).
      ['request id starting with _', { body: { accountId: 'acc1', to: '40712345678', message: 'x', requestId: '_b' } }, 400, /requestId: .*starting with a letter or digit/],
      ['header key starting with _', { body: { accountId: 'acc1', to: '40712345678', message: 'x' }, headers: { 'idempotency-key': '_b' } }, 400, /Idempotency-Key: .*starting with a letter or digit/],
      ['header key with /', { body: { accountId: 'acc1', to: '40712345678', message: 'x' }, headers: { 'idempotency-key': 'a/b' } }, 400, /Idempotency-Key: /],
      ['header and body keys differ', { body: { accountId: 'acc1', to: '40712345678', message: 'x', requestId: 'k1' }, headers: { 'idempotency-key': 'k2' } }, 400, /Idempotency-Key: /],
      ['unknown field', { body: { accountId: 'acc1', to: '40712345678', message: 'x', extra: 1 } }, 400, /extra: /],
      ['JID to a broadcast', { body: { accountId: 'acc1', to: 'status@broadcast', message: 'x' } }, 400, /to: /],
      // Kept, it would be a second thread beside 40712345678@s.whatsapp.net for one client.
      ['JID with a leading 0', { body: { accountId: 'acc1', to: '040712345678@s.whatsapp.net', message: 'x' } }, 400, /to: must start with the country code, not 0/],
      ['no key', { body: { accountId: 'acc1', to: '40712345678', message: 'x' }, headers: { 'x-api-key': '' } }, 401, /x-api-key: /],
      ['wrong key', { body: { accountId: 'acc1', to: '40712345678', message: 'x' }, headers: { 'x-api-key': 'wrong-key-0000000000' } }, 401, /x-api-key: /],
    ];
    it.each(cases)('%s', async (_name, request, status, message) => {
      const before = { messages: countRows('messages'), outbox: countRows('outbox'), threads: countRows('threads') };
      const response = await t.request('POST', '/api/whatsapp/send-message', request);
      expect(response.status).toBe(status);
      expect(response.body).toMatchObject({ statusCode: status, error: expect.any(String) });
      expect(response.body.message).toMatch(message);
      expect({ messages: countRows('messages'), outbox: countRows('outbox'), threads: countRows('threads') }).toEqual(before);
    });
  });
});
