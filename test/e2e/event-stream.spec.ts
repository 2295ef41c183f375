import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_API_KEY, TestApp, startTestApp } from '../support/app';
import { eventually } from '../support/eventually';
import { ServerSentEvent, readEventStream } from '../support/sse';

/** The live stream over a real socket, as an app reads it with `fetch` (inject cannot stream). */
describe('GET /api/whatsapp/events', () => {
  let t: TestApp;
  let base: string;
  const headers = { 'x-api-key': TEST_API_KEY, accept: 'text/event-stream' };
  const send = (accountId: string, requestId: string) =>
    t.request('POST', '/api/whatsapp/send-message', { body: { accountId, to: '40712345678', message: `m ${requestId}`, requestId } });

  /** Opens the stream and collects what it yields until `stop()`. */
  async function open(query = '', extra: Record<string, string> = {}) {
    const controller = new AbortController();
    const events: ServerSentEvent[] = [];
    const seen = { comments: 0 };
    const response = await fetch(`${base}/api/whatsapp/events${query}`, { headers: { ...headers, ...extra }, signal: controller.signal });
    const reading = readEventStream(response, (event) => events.push(event), seen);
    return { response, events, seen, stop: async () => (controller.abort(), await reading) };
  }

  beforeAll(async () => {
    t = await startTestApp({ SEND_MIN_INTERVAL_MS: '0', OUTBOX_POLL_MS: '50', EVENT_STREAM_POLL_MS: '20' });
    await t.app.listen(0, '127.0.0.1');
    base = await t.app.getUrl();
    for (const accountId of ['accA', 'accB']) await t.request('POST', '/api/whatsapp/accounts', { body: { accountId } });
    for (const accountId of ['accA', 'accB']) await eventually(() => t.request('GET', `/api/whatsapp/accounts/${accountId}`), (r) => r.body.status === 'connected');
  });
  afterAll(() => t.close());

  it('misses nothing and repeats nothing across a disconnect, resumed by Last-Event-ID', async () => {
    const start = (await t.request('GET', '/api/whatsapp/events?limit=200')).body.nextCursor;
    const first = await open(`?after=${start}`);
    for (let i = 0; i < 10; i++) await send('accA', `before-${i}`);
    await eventually(() => first.events.filter((e) => e.event === 'message.accepted').length, (n) => n >= 5);
    await first.stop();
    const lastId = first.events.at(-1)!.id!;
    // Written while no one listens: the resumed stream must bring them.
    for (let i = 0; i < 10; i++) await send('accB', `during-${i}`);
    const second = await open('', { 'last-event-id': lastId });
    for (let i = 0; i < 5; i++) await send('accA', `after-${i}`);
    const logged = async () => {
      const all: Array<{ cursor: string; type: string; data: { id: string } }> = [];
      for (let cursor = start; ; ) {
        const page = (await t.request('GET', `/api/whatsapp/events?after=${cursor}&limit=200`)).body;
        all.push(...page.items);
        if (page.items.length < 200) return all;
        cursor = page.nextCursor;
      }
    };
    // Every accepted send is also sent: wait until the log holds both for all 25, and the stream caught up.
    const log = await eventually(logged, (items) => items.filter((e) => e.type === 'message.sent').length === 25);
    await eventually(() => second.events.at(-1)?.id, (id) => id === log.at(-1)?.cursor);
    await second.stop();
    const streamed = [...first.events, ...second.events].map((e) => JSON.parse(e.data!).data.id as string);
    expect(new Set(streamed).size).toBe(streamed.length);
    expect(streamed).toEqual(log.map((item) => item.data.id));
    const accepted = [...first.events, ...second.events].filter((e) => e.event === 'message.accepted').map((e) => JSON.parse(e.data!).data.message.requestId);
    expect(accepted.sort()).toEqual([...['before', 'after'].flatMap((p) => Array.from({ length: p === 'before' ? 10 : 5 }, (_, i) => `${p}-${i}`)), ...Array.from({ length: 10 }, (_, i) => `during-${i}`)].sort());
  });

  it("yields only the asked account's events of the asked types, each with the body a webhook gets", async () => {
    const stream = await open(`?accountId=accB&types=message.accepted`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await send('accA', 'filtered-a');
    await send('accB', 'filtered-b');
    await eventually(() => stream.events.length, (n) => n >= 1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await stream.stop();
    expect(stream.response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(stream.events.map((e) => e.event)).toEqual(['message.accepted']);
    const body = JSON.parse(stream.events[0].data!);
    expect(body).toMatchObject({ type: 'message.accepted', data: { accountId: 'accB', message: { requestId: 'filtered-b', status: 'queued', statusRank: 0, type: 'text' } } });
    expect(body.timestamp).toBe(body.data.occurredAt);
  });

  it('refuses a cursor it never gave before the stream opens, and a request without a key', async () => {
    const bad = await fetch(`${base}/api/whatsapp/events`, { headers: { ...headers, 'last-event-id': 'not-a-cursor' } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toMatch(/^last-event-id: /);
    expect((await fetch(`${base}/api/whatsapp/events`, { headers: { accept: 'text/event-stream' } })).status).toBe(401);
    expect((await t.request('GET', '/api/whatsapp/events?types=message.nope')).status).toBe(400);
    expect((await t.request('GET', '/api/whatsapp/events?limit=0')).body.message).toMatch(/^limit: /);
  });

  it('pages the log as JSON, oldest first, with a cursor to poll with at the end', async () => {
    const page = (await t.request('GET', '/api/whatsapp/events?limit=3')).body;
    expect(page.items[0]).toMatchObject({ type: 'account.created', data: { accountId: 'accA' } });
    const next = (await t.request('GET', `/api/whatsapp/events?limit=200&after=${page.nextCursor}`)).body;
    const cursors = [...page.items, ...next.items].map((item: { cursor: string }) => Number(item.cursor));
    expect(cursors).toEqual([...cursors].sort((a, b) => a - b));
    expect(new Set(cursors).size).toBe(cursors.length);
    const atEnd = (await t.request('GET', `/api/whatsapp/events?after=${next.nextCursor}`)).body;
    expect(atEnd).toEqual({ items: [], nextCursor: next.nextCursor });
  });
});
