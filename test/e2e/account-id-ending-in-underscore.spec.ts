import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestApp, startTestApp } from '../support/app';
import { eventually } from '../support/eventually';

/**
 * `acme_` is a valid account id, so its thread with a client is `acme___{jid}`, which begins with
 * `acme__`: split at the first `__` it read as account `acme` and client `_{jid}`.
 */
describe('an account id ending in `_` beside the account id it begins with', () => {
  let t: TestApp;
  const CLIENT = '40755555555@s.whatsapp.net';
  const threadOf = (accountId: string) => `${accountId}__${CLIENT}`;
  const messagesOf = (threadId: string) => t.request('GET', `/api/whatsapp/threads/${encodeURIComponent(threadId)}/messages`);

  beforeAll(async () => {
    t = await startTestApp({ SEND_MIN_INTERVAL_MS: '0', OUTBOX_POLL_MS: '50' });
    for (const accountId of ['acme', 'acme_']) {
      expect((await t.request('POST', '/api/whatsapp/accounts', { body: { accountId } })).status).toBe(201);
      await eventually(() => t.request('GET', `/api/whatsapp/accounts/${accountId}`), (r) => r.body.status === 'connected');
    }
    for (const accountId of ['acme', 'acme_']) {
      const inbound = await t.request('POST', `/api/whatsapp/simulator/accounts/${accountId}/inbound`, { body: { from: '40755555555', text: `to ${accountId}` } });
      expect(inbound.status).toBe(202);
    }
    for (const accountId of ['acme', 'acme_']) await eventually(() => messagesOf(threadOf(accountId)), (r) => r.status === 200 && r.body.items.length === 1);
  });
  afterAll(() => t?.close());

  it('sends from `acme_` into its own thread', async () => {
    const sent = await t.request('POST', '/api/whatsapp/send-message', { body: { accountId: 'acme_', to: '40755555555', message: 'reply from acme_' } });
    expect(sent.status).toBe(202);
    expect(sent.body.threadId).toBe('acme___40755555555@s.whatsapp.net');
    const messages = await messagesOf(sent.body.threadId);
    expect(messages.status).toBe(200);
    expect(messages.body.items.map((m: { text: string }) => m.text).sort()).toEqual(['reply from acme_', 'to acme_']);
    const one = await t.request('GET', `/api/whatsapp/threads/${encodeURIComponent(sent.body.threadId)}/messages/${sent.body.messageId}`);
    expect(one.status).toBe(200);
    expect(one.body.text).toBe('reply from acme_');
  });

  it('lists to each account its own thread only, and each thread holds only its account`s messages', async () => {
    for (const accountId of ['acme', 'acme_']) {
      const threads = await t.request('GET', `/api/whatsapp/threads?accountId=${accountId}`);
      expect(threads.status).toBe(200);
      expect(threads.body.items.map((thread: { threadId: string }) => thread.threadId)).toEqual([threadOf(accountId)]);
      const messages = await messagesOf(threadOf(accountId));
      expect(messages.status).toBe(200);
      expect(messages.body.items.every((m: { accountId: string }) => m.accountId === accountId)).toBe(true);
      expect(messages.body.items.map((m: { text: string }) => m.text)).toContain(`to ${accountId}`);
    }
    expect((await messagesOf(threadOf('acme'))).body.items.map((m: { text: string }) => m.text)).toEqual(['to acme']);
  });
});
