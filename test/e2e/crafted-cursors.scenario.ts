import { afterAll, beforeAll, expect, it } from 'vitest';
import { MAX_CURSOR_TIME_MS, MIN_CURSOR_TIME_MS } from '../../src/common/page';
import { TestApp } from '../support/app';
import { eventually } from '../support/eventually';

const encoded = (text: string) => Buffer.from(text).toString('base64url');
const cursorOf = (key: unknown, id: unknown) => encoded(JSON.stringify([key, id]));
const ACCOUNT = 'acme_';
const OTHER = 'acme';
const jid = (n: number) => `4075000000${n}@s.whatsapp.net`;
const THREAD = `${ACCOUNT}__${jid(1)}`;

/** Cursors no list returned, each of which must answer 400 naming `cursor`, on whichever store the app runs. */
const UNUSABLE: Array<[string, string]> = [
  ['not base64', '%%%'],
  ['base64 of nothing', '!!!'],
  ['not JSON', encoded('{"key": 1')],
  ['an object', encoded('{"key":1,"id":"x"}')],
  ['one element', encoded('[1]')],
  ['three elements', encoded(`[1,"${THREAD}",3]`)],
  ['a string time', cursorOf('2026-01-01', THREAD)],
  ['a null time', cursorOf(null, THREAD)],
  ['a fractional time', cursorOf(1.5, THREAD)],
  ['a number id', cursorOf(1, 42)],
  ['a huge number', encoded(`[1e400,"${THREAD}"]`)],
  ['an unsafe integer', encoded(`[9007199254740993,"${THREAD}"]`)],
  ['a time after 9999', cursorOf(MAX_CURSOR_TIME_MS + 1, THREAD)],
  ['a time before year 1', cursorOf(MIN_CURSOR_TIME_MS - 1, THREAD)],
];

export function craftedCursorsScenario(start: () => Promise<TestApp>): void {
  let t: TestApp;
  const expectCursorRefused = async (url: string) => {
    const answer = await t.request('GET', url);
    expect({ url, status: answer.status }).toEqual({ url, status: 400 });
    expect(answer.body.message).toMatch(/cursor/);
  };

  beforeAll(async () => {
    t = await start();
    for (const accountId of [ACCOUNT, OTHER]) {
      expect((await t.request('POST', '/api/whatsapp/accounts', { body: { accountId } })).status).toBe(201);
      await eventually(() => t.request('GET', `/api/whatsapp/accounts/${accountId}`), (r) => r.body.status === 'connected', 20_000);
    }
    for (const [n, text] of [[1, 'one'], [2, 'two'], [1, 'three']] as const) {
      expect((await t.request('POST', `/api/whatsapp/simulator/accounts/${ACCOUNT}/inbound`, { body: { from: jid(n), text } })).status).toBe(202);
      await eventually(() => t.request('GET', `/api/whatsapp/threads?accountId=${ACCOUNT}`), (r) => JSON.stringify(r.body).includes(text), 20_000);
    }
    expect((await t.request('POST', `/api/whatsapp/simulator/accounts/${OTHER}/inbound`, { body: { from: jid(1), text: 'other' } })).status).toBe(202);
    await eventually(() => t.request('GET', `/api/whatsapp/threads?accountId=${OTHER}`), (r) => r.body.items?.length === 1, 20_000);
  });
  afterAll(() => t?.close());

  it('follows its own cursors through threads, messages and accounts', async () => {
    const threads = await t.request('GET', `/api/whatsapp/threads?accountId=${ACCOUNT}&limit=1`);
    const rest = await t.request('GET', `/api/whatsapp/threads?accountId=${ACCOUNT}&limit=1&cursor=${threads.body.nextCursor}`);
    expect(rest.status).toBe(200);
    expect([...threads.body.items, ...rest.body.items].map((thread: { clientJid: string }) => thread.clientJid).sort()).toEqual([jid(1), jid(2)]);
    const messages = await t.request('GET', `/api/whatsapp/threads/${encodeURIComponent(THREAD)}/messages?limit=1`);
    const older = await t.request('GET', `/api/whatsapp/threads/${encodeURIComponent(THREAD)}/messages?limit=1&cursor=${messages.body.nextCursor}`);
    expect(older.status).toBe(200);
    expect([...messages.body.items, ...older.body.items].map((m: { text: string }) => m.text).sort()).toEqual(['one', 'three']);
    const accounts = await t.request('GET', '/api/whatsapp/accounts?limit=1');
    const more = await t.request('GET', `/api/whatsapp/accounts?limit=1&cursor=${accounts.body.nextCursor}`);
    expect(more.status).toBe(200);
    expect([...accounts.body.items, ...more.body.items].map((a: { accountId: string }) => a.accountId)).toEqual([OTHER, ACCOUNT]);
  });

  it('takes a cursor naming an old-layout thread (a bare JID), which the list holds until the migration ran', async () => {
    const answer = await t.request('GET', `/api/whatsapp/threads?accountId=${ACCOUNT}&cursor=${cursorOf(MAX_CURSOR_TIME_MS, jid(1))}`);
    expect(answer.status).toBe(200);
    expect(answer.body.items).toHaveLength(2);
  });

  it.each(UNUSABLE)('answers 400 naming cursor for %s, on every list', async (_name, cursor) => {
    await expectCursorRefused(`/api/whatsapp/threads?accountId=${ACCOUNT}&cursor=${cursor}`);
    await expectCursorRefused(`/api/whatsapp/threads/${encodeURIComponent(THREAD)}/messages?cursor=${cursor}`);
    await expectCursorRefused(`/api/whatsapp/accounts?cursor=${cursor}`);
  });

  it('answers 400 naming cursor for an id the list could not have returned', async () => {
    // Another account's thread (the prefix one, and the one whose id begins like it), a path, nothing.
    for (const id of [`${OTHER}__${jid(1)}`, `${ACCOUNT}_x__${jid(1)}`, `${ACCOUNT}__${jid(1)}/messages/x`, '', 'threads/x', '..', 'x'.repeat(161)]) {
      await expectCursorRefused(`/api/whatsapp/threads?accountId=${ACCOUNT}&cursor=${cursorOf(1_000, id)}`);
    }
    for (const id of ['a/b', '', '..', 'm'.repeat(65)]) {
      await expectCursorRefused(`/api/whatsapp/threads/${encodeURIComponent(THREAD)}/messages?cursor=${cursorOf(1_000, id)}`);
    }
    for (const [key, id] of [[1, OTHER], [0, 'a/b'], [0, ''], [0, '__x__']] as const) {
      await expectCursorRefused(`/api/whatsapp/accounts?cursor=${cursorOf(key, id)}`);
    }
  });
}
