import { IncomingHttpHeaders, Server, createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { Resolver } from '../../src/outbound/outbound-client';
import { TestApp } from '../support/app';
import { eventually } from '../support/eventually';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

/**
 * A receiver on 127.0.0.1 that answers each path as `answers` says at the moment of the request (a status,
 * with Retry-After for 503, or 'hang': no answer until the attempt times out), keeping every request.
 */
async function startReceiver(answers: Record<string, number | 'hang'>) {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      received.push({ path: req.url!, headers: req.headers, body, at: Date.now() });
      const answer = answers[req.url!] ?? 404;
      if (answer === 'hang') return;
      res.writeHead(answer, answer === 503 ? { 'retry-after': '1' } : {}).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { server, port: (server.address() as AddressInfo).port, received };
}

interface Delivered {
  webhookId: string;
  type: string;
  eventId: string;
  body: { type: string; timestamp: string; data: Record<string, any> };
}

/** `moving.test` resolves to a public address when the endpoint is made, to a private one ever after. */
let movingLookups = 0;
const resolver: Resolver = async (host) => {
  if (host !== 'moving.test') throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
  return [{ address: movingLookups++ === 0 ? '93.184.216.34' : '10.0.0.1', family: 4 }];
};

/**
 * Webhook deliveries end to end: the real app, its dispatcher and worker, a real receiver, on whichever
 * store `start` opens (sqlite: webhook-deliveries.spec.ts; Firestore: test/medium/firestore/). `wait`
 * is how long a delivery may take there at most, `lag` how long until an event is surely fanned out
 * (Firestore reads the log a settle window late, and dispatches once a second).
 */
export function webhookDeliveriesScenario(start: (env: Record<string, string>, resolver: Resolver) => Promise<TestApp>, { wait, lag, hangingCase = true }: { wait: number; lag: number; hangingCase?: boolean }): void {
  const soon = <T>(read: () => Promise<T> | T, done: (value: T) => boolean, ms = wait) => eventually(read, done, ms);
  let t: TestApp;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const answers: Record<string, number | 'hang'> = { '/ok': 204, '/b': 200, '/down': 503, '/gone': 410, '/hang': 'hang', '/fail': 500 };
  const url = (path: string) => `http://127.0.0.1:${receiver.port}${path}`;
  const create = async (body: Record<string, unknown>) => {
    const answer = await t.request('POST', '/api/whatsapp/webhooks', { body });
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    return answer.body as { webhookId: string; secret: string };
  };
  const send = async (accountId: string, requestId: string) => {
    const answer = await t.request('POST', '/api/whatsapp/send-message', { body: { accountId, to: '40712345678', message: `m ${requestId}`, requestId } });
    expect(answer.status, JSON.stringify(answer.body)).toBe(202);
  };
  /** What the receiver got on `path`, each verified against `secrets` by the standardwebhooks package (it throws otherwise). */
  const deliveredTo = (path: string, ...secrets: string[]): Delivered[] =>
    receiver.received
      .filter((r) => r.path === path)
      .map((r) => {
        for (const secret of secrets) new Webhook(secret).verify(r.body, r.headers as Record<string, string>);
        const body = JSON.parse(r.body);
        return { webhookId: String(r.headers['webhook-id']), type: body.type, eventId: body.data.id, body };
      });
  const sentEventsOf = (delivered: Delivered[], requestIds: string[]) =>
    delivered.filter((d) => d.type === 'message.sent' && requestIds.includes(d.body.data.message.requestId));
  const logged = async () => {
    const all: Array<{ cursor: string; type: string; timestamp: string; data: Record<string, any> }> = [];
    for (let cursor: string | undefined; ; ) {
      const page = (await t.request('GET', `/api/whatsapp/events?limit=200${cursor ? `&after=${cursor}` : ''}`)).body;
      all.push(...page.items);
      if (page.items.length < 200) return all;
      cursor = page.nextCursor;
    }
  };

  beforeAll(async () => {
    receiver = await startReceiver(answers);
    const env = {
      SEND_MIN_INTERVAL_MS: '0',
      OUTBOX_POLL_MS: '100',
      WEBHOOK_DISPATCH_POLL_MS: '20',
      WEBHOOK_TIMEOUT_MS: '300',
      WEBHOOK_CONCURRENCY: '1',
      OUTBOUND_ALLOW_HOSTS: `127.0.0.1:${receiver.port}`,
    };
    t = await start(env, resolver);
    for (const accountId of ['accA', 'accB']) await t.request('POST', '/api/whatsapp/accounts', { body: { accountId } });
    for (const accountId of ['accA', 'accB']) await soon(() => t.request('GET', `/api/whatsapp/accounts/${accountId}`), (r) => r.body.status === 'connected');
  });
  // What the app warned of, when a case fails: the logs are the app's, not printed otherwise.
  afterEach((context) => {
    if (context.task.result?.state !== 'fail') return;
    console.log(t.logs.filter((line) => Number(line.level) >= 40 && line.msg !== 'socket closed').slice(-15).map((line) => JSON.stringify(line).slice(0, 300)).join('\n'));
  });
  afterAll(async () => {
    await t?.close();
    receiver?.server.closeAllConnections();
    await new Promise((resolve) => receiver?.server.close(resolve));
  });

  it('delivers each event once, signed (verified by standardwebhooks), with the body the log holds and webhook-id its event id', async () => {
    const { secret } = await create({ url: url('/ok'), accountIds: ['accA'] });
    const ids = ['signed-1', 'signed-2', 'signed-3'];
    for (const id of ids) await send('accA', id);
    await send('accB', 'not-for-this-endpoint');
    const delivered = await soon(() => deliveredTo('/ok', secret), (d) => sentEventsOf(d, ids).length === 3);
    expect(sentEventsOf(delivered, ids)).toHaveLength(3);
    const log = await logged();
    for (const d of delivered) {
      expect(d.webhookId).toBe(d.eventId);
      const { cursor: _cursor, ...body } = log.find((item) => item.data.id === d.eventId)!;
      expect(d.body).toEqual(body);
      expect(d.body.data.accountId).toBe('accA');
    }
    expect(new Set(delivered.map((d) => d.eventId)).size).toBe(delivered.length);
    // Every event of accA since the endpoint was made, accepted and sent, reached it.
    const requestIdsOf = (type: string) => delivered.filter((d) => d.type === type).map((d) => d.body.data.message.requestId).sort();
    expect(requestIdsOf('message.accepted')).toEqual(ids);
    expect(requestIdsOf('message.sent')).toEqual(ids);
  });

  it('keeps what a receiver missed while down (503, Retry-After) and delivers all of it once it is back, repeats carrying the same id', async () => {
    const { webhookId, secret } = await create({ url: url('/down'), events: ['message.sent'], accountIds: ['accB'] });
    const ids = Array.from({ length: 8 }, (_, i) => `down-${i}`);
    for (const id of ids) await send('accB', id);
    await soon(() => deliveredTo('/down', secret).length, (n) => n >= 2);
    const whileDown = await soon(async () => (await t.request('GET', `/api/whatsapp/webhooks/${webhookId}/deliveries?status=retrying`)).body.items, (items) => items.length > 0);
    expect(whileDown[0]).toMatchObject({ statusCode: 503, result: 'retrying', error: null });
    answers['/down'] = 200;
    const delivered = await soon(() => deliveredTo('/down', secret), (d) => new Set(sentEventsOf(d, ids).map((x) => x.eventId)).size === 8, wait + 5_000);
    answers['/down'] = 503;
    const byEvent = new Map<string, Delivered[]>();
    for (const d of sentEventsOf(delivered, ids)) byEvent.set(d.eventId, [...(byEvent.get(d.eventId) ?? []), d]);
    expect(byEvent.size).toBe(8);
    for (const [eventId, copies] of byEvent) for (const copy of copies) expect([copy.webhookId, copy.body.data.id]).toEqual([eventId, eventId]);
    // Retry-After paused the endpoint: nothing was attempted again within a second of the first 503.
    const attempts = receiver.received.filter((r) => r.path === '/down');
    const firstAt = attempts[0].at;
    expect(attempts.filter((r) => r.at > firstAt && r.at < firstAt + 900)).toHaveLength(0);
    // Each outcome is logged after the receiver answered: wait for the last ones.
    const deliveredIn = (items: Array<{ result: string }>) => items.filter((a) => a.result === 'delivered');
    const log = await soon(async () => (await t.request('GET', `/api/whatsapp/webhooks/${webhookId}/deliveries?limit=200`)).body.items, (items) => deliveredIn(items).length >= 8);
    expect(deliveredIn(log)).toHaveLength(8);
  });

  it('disables an endpoint that answers 410, delivers nothing more to it, and again once it is enabled', async () => {
    const { webhookId, secret } = await create({ url: url('/gone'), events: ['message.accepted'], accountIds: ['accA'] });
    await send('accA', 'gone-1');
    const endpoint = await soon(() => t.request('GET', `/api/whatsapp/webhooks/${webhookId}`), (r) => r.body.enabled === false);
    expect(endpoint.body).toMatchObject({ enabled: false, disabledReason: 'gone' });
    expect(deliveredTo('/gone', secret)).toHaveLength(1);
    // A witness hearing the same events: once it has gone-2, gone-2 was fanned out, while the endpoint was
    // disabled (the dispatch decides, not the event's time), and the endpoint got no item for it.
    answers['/gone-witness'] = 200;
    const witness = await create({ url: url('/gone-witness'), events: ['message.accepted'], accountIds: ['accA'] });
    await send('accA', 'gone-2');
    await soon(() => deliveredTo('/gone-witness', witness.secret), (d) => d.some((x) => x.body.data.message.requestId === 'gone-2'));
    await new Promise((resolve) => setTimeout(resolve, lag));
    expect(deliveredTo('/gone', secret)).toHaveLength(1);
    answers['/gone'] = 200;
    expect((await t.request('PATCH', `/api/whatsapp/webhooks/${webhookId}`, { body: { enabled: true } })).body.enabled).toBe(true);
    await send('accA', 'gone-3');
    const after = await soon(() => deliveredTo('/gone', secret), (d) => d.length === 2);
    expect(after.map((d) => d.body.data.message.requestId)).toEqual(['gone-1', 'gone-3']);
    // The outcome is logged after the receiver answered: wait for it.
    const attempts = await soon(async () => (await t.request('GET', `/api/whatsapp/webhooks/${webhookId}/deliveries`)).body.items, (items) => items.length === 2);
    expect(attempts.map((a: { statusCode: number; result: string }) => [a.statusCode, a.result])).toEqual([
      [200, 'delivered'],
      [410, 'failed'],
    ]);
  });

  it('replays by event ids and by time, with the same event ids, under the current filters', async () => {
    answers['/replay'] = 200;
    const { webhookId, secret } = await create({ url: url('/replay'), events: ['message.accepted'], accountIds: ['accA'] });
    const since = new Date().toISOString();
    for (const id of ['replay-1', 'replay-2']) await send('accA', id);
    await send('accB', 'replay-other-account');
    const first = await soon(() => deliveredTo('/replay', secret), (d) => d.length === 2);
    const byIds = await t.request('POST', `/api/whatsapp/webhooks/${webhookId}/replay`, { body: { eventIds: [first[0].eventId] } });
    expect(byIds).toMatchObject({ status: 202, body: { replayId: expect.stringMatching(/^rpl_/), events: 1 } });
    await soon(() => deliveredTo('/replay', secret).length, (n) => n === 3);
    expect(deliveredTo('/replay', secret)[2].webhookId).toBe(first[0].eventId);
    const byTime = await t.request('POST', `/api/whatsapp/webhooks/${webhookId}/replay`, { body: { since } });
    expect(byTime).toMatchObject({ status: 202, body: { events: 2 } });
    const all = await soon(() => deliveredTo('/replay', secret), (d) => d.length === 5);
    expect(all.slice(3).map((d) => d.webhookId).sort()).toEqual(first.map((d) => d.eventId).sort());
    expect(all.every((d) => d.body.data.accountId === 'accA')).toBe(true);
  });

  it.each<[string, Record<string, unknown>, RegExp]>([
    ['neither since nor eventIds', {}, /^since: give either since \(and until, optionally\) or eventIds$/],
    ['both', { since: '2026-12-01T00:00:00.000Z', eventIds: ['evt_01KBF4Z0X5Q6W2J8R3T7Y9M1N4'] }, /since: give either/],
    ['a since older than retention', { since: '2020-01-01T00:00:00.000Z' }, /^since: is older than the 30 days/],
    ['until before since', { since: new Date(Date.now() - 1000).toISOString(), until: new Date(Date.now() - 2000).toISOString() }, /^until: must be after since/],
    ['a malformed event id', { eventIds: ['evt_nope'] }, /each of eventIds must be an event id/],
    ['a since that is no time', { since: 'yesterday' }, /^since: must be an ISO 8601 time/],
    ['an until beside eventIds', { eventIds: ['evt_01KBF4Z0X5Q6W2J8R3T7Y9M1N4'], until: '2026-12-01T00:00:00.000Z' }, /^until: give either since/],
  ])('refuses a replay with %s, naming the field', async (_why, body, message) => {
    const { webhookId } = await create({ url: url('/ok'), accountIds: ['accZ'] });
    const answer = await t.request('POST', `/api/whatsapp/webhooks/${webhookId}/replay`, { body });
    expect([answer.status, answer.body.message]).toEqual([400, expect.stringMatching(message)]);
  });

  it('answers 404 for the deliveries or a replay of an endpoint that does not exist, and 400 for a crafted cursor', async () => {
    expect((await t.request('GET', '/api/whatsapp/webhooks/wh_nothing/deliveries')).status).toBe(404);
    expect((await t.request('POST', '/api/whatsapp/webhooks/wh_nothing/replay', { body: { since: new Date().toISOString() } })).status).toBe(404);
    const { webhookId } = await create({ url: url('/ok'), accountIds: ['accZ'] });
    const crafted = await t.request('GET', `/api/whatsapp/webhooks/${webhookId}/deliveries?cursor=abc`);
    expect([crafted.status, crafted.body.message]).toEqual([400, expect.stringMatching(/^cursor: /)]);
  });

  it('pages the deliveries log newest first', async () => {
    answers['/paged'] = 200;
    const { webhookId, secret } = await create({ url: url('/paged'), events: ['message.accepted'], accountIds: ['accA'] });
    for (let i = 0; i < 5; i++) await send('accA', `paged-${i}`);
    await soon(() => deliveredTo('/paged', secret).length, (n) => n === 5);
    // Each outcome is logged after the receiver answered: wait for all five.
    await soon(async () => (await t.request('GET', `/api/whatsapp/webhooks/${webhookId}/deliveries?limit=10`)).body.items.length, (n) => n === 5);
    const seen: string[] = [];
    for (let cursor = ''; ; ) {
      const page = (await t.request('GET', `/api/whatsapp/webhooks/${webhookId}/deliveries?limit=2${cursor}`)).body;
      seen.push(...page.items.map((a: { eventId: string }) => a.eventId));
      if (!page.nextCursor) break;
      cursor = `&cursor=${page.nextCursor}`;
    }
    expect(seen).toEqual(deliveredTo('/paged', secret).map((d) => d.eventId).reverse());
  });

  it('signs with both secrets during a rotation: each verifies alone', async () => {
    answers['/rotated'] = 200;
    const { webhookId, secret: before } = await create({ url: url('/rotated'), events: ['message.accepted'], accountIds: ['accA'] });
    const rotated = await t.request('POST', `/api/whatsapp/webhooks/${webhookId}/rotate-secret`);
    await send('accA', 'rotated-1');
    const [delivered] = await soon(() => deliveredTo('/rotated', before, rotated.body.secret), (d) => d.length === 1);
    expect(delivered.body.data.message.requestId).toBe('rotated-1');
    expect(String(receiver.received.find((r) => r.path === '/rotated')!.headers['webhook-signature']).split(' ')).toHaveLength(2);
  });

  (hangingCase ? it : it.skip)('a hanging endpoint holds only its own room: another endpoint and the sends go on', async () => {
    const slow = await create({ url: url('/hang'), events: ['message.sent'], accountIds: ['accB'] });
    answers['/b'] = 200;
    const fast = await create({ url: url('/b'), events: ['message.sent'], accountIds: ['accB'] });
    const ids = Array.from({ length: 6 }, (_, i) => `slow-${i}`);
    for (const id of ids) await send('accB', id);
    // WEBHOOK_CONCURRENCY=1 and a 300 ms timeout: the hanging endpoint gets about one attempt each 300 ms
    // (then waits its 5 s retry), while the other receives all six events at once.
    const fastGot = await soon(() => deliveredTo('/b', fast.secret), (d) => sentEventsOf(d, ids).length === 6, wait);
    expect(sentEventsOf(fastGot, ids)).toHaveLength(6);
    // At most one attempt in flight at a time there: each began after the one before had timed out.
    const hung = receiver.received.filter((r) => r.path === '/hang').map((r) => r.at);
    for (let i = 1; i < hung.length; i++) expect(hung[i] - hung[i - 1]).toBeGreaterThanOrEqual(250);
    const slowLog = await soon(async () => (await t.request('GET', `/api/whatsapp/webhooks/${slow.webhookId}/deliveries`)).body.items, (items) => items.length > 0);
    expect(slowLog[0]).toMatchObject({ statusCode: null, result: 'retrying', error: expect.stringMatching(/^no answer from .*within 300 ms/) });
  });

  it("a deleted account's last events reach the endpoints that listed it; then it leaves them, and a re-created id inherits none", async () => {
    answers['/listed-both'] = 200;
    answers['/listed-one'] = 200;
    await t.request('POST', '/api/whatsapp/accounts', { body: { accountId: 'accDel' } });
    await soon(() => t.request('GET', '/api/whatsapp/accounts/accDel'), (r) => r.body.status === 'connected');
    const both = await create({ url: url('/listed-both'), events: ['account.deleted', 'message.accepted'], accountIds: ['accDel', 'accA'] });
    const only = await create({ url: url('/listed-one'), events: ['account.deleted', 'message.accepted'], accountIds: ['accDel'] });
    expect((await t.request('DELETE', '/api/whatsapp/accounts/accDel')).status).toBe(204);
    const listed = await soon(() => t.request('GET', `/api/whatsapp/webhooks/${both.webhookId}`), (r) => !r.body.accountIds.includes('accDel'));
    expect(listed.body).toMatchObject({ accountIds: ['accA'], enabled: true });
    expect((await t.request('GET', `/api/whatsapp/webhooks/${only.webhookId}`)).body).toMatchObject({ accountIds: [], enabled: false, disabledReason: 'noAccounts' });
    const deleted = (path: string, secret: string) => deliveredTo(path, secret).filter((d) => d.type === 'account.deleted' && d.body.data.accountId === 'accDel');
    await soon(() => deleted('/listed-both', both.secret).length + deleted('/listed-one', only.secret).length, (n) => n === 2);
    // Re-created once the purge freed the id: its events go to neither endpoint.
    const recreated = await soon(() => t.request('POST', '/api/whatsapp/accounts', { body: { accountId: 'accDel' } }), (r) => r.status === 201, wait);
    expect(recreated.status).toBe(201);
    await soon(() => t.request('GET', '/api/whatsapp/accounts/accDel'), (r) => r.body.status === 'connected');
    await send('accDel', 'after-recreate');
    await send('accA', 'after-recreate-a');
    await soon(() => deliveredTo('/listed-both', both.secret).filter((d) => d.type === 'message.accepted').length, (n) => n === 1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const accepted = receiver.received.filter((r) => r.path.startsWith('/listed-')).map((r) => JSON.parse(r.body)).filter((b) => b.type === 'message.accepted');
    expect(accepted.map((b) => b.data.accountId)).toEqual(['accA']);
  });

  it('checks the address again at every attempt: a name that moved to a private address is refused, and retried later', async () => {
    const { webhookId } = await create({ url: 'http://moving.test/hook', events: ['message.accepted'], accountIds: ['accA'] });
    await send('accA', 'moved-1');
    const [attempt] = await soon(async () => (await t.request('GET', `/api/whatsapp/webhooks/${webhookId}/deliveries`)).body.items, (items) => items.length > 0);
    expect(attempt).toMatchObject({ statusCode: null, result: 'retrying', error: expect.stringMatching(/^refused: moving\.test resolves to 10\.0\.0\.1, a private address/) });
    expect(movingLookups).toBe(2);
  });
}
