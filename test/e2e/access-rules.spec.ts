import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccessRouteConfig, AccessRule } from '../../src/access/access.decorator';
import { SCOPES, Scope } from '../../src/access/account-key';
import { TableRoute, TestApp, startTestApp } from '../support/app';
import { eventually } from '../support/eventually';
import { ServerSentEvent, readEventStream } from '../support/sse';

const OWN = 'own1';
const OTHER = 'other1';
const MISSING = 'ghost1';
const CLIENT = '40712345678@s.whatsapp.net';
const HOOK_URL = 'http://127.0.0.1:9/hook';

/** Bodies that pass validation, so a route on the key's own account gets past it; the account goes where the rule says. */
const BODIES: Record<string, Record<string, unknown>> = {
  'POST /api/whatsapp/accounts': { accountId: 'fresh1' },
  'POST /api/whatsapp/send-message': { to: '40712345678', message: 'hi' },
  // A JPEG's first bytes, as base64: the route takes JSON as well as a multipart form.
  'POST /api/whatsapp/send-media': { to: '40712345678', type: 'image', media: { base64: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]).toString('base64'), mimetype: 'image/jpeg' } },
  'POST /api/whatsapp/accounts/:accountId/pairing-code': { phoneNumber: '40712345678' },
  'POST /api/whatsapp/simulator/accounts/:accountId/inbound': { from: '40712345678', text: 'hi' },
  'POST /api/whatsapp/simulator/accounts/:accountId/receipts': { waMessageId: '3EB0AAAA', status: 'read' },
  'POST /api/whatsapp/simulator/accounts/:accountId/disconnect': { reason: 'connectionLost' },
  'POST /api/whatsapp/simulator/accounts/:accountId/limits': { code: '429', sends: 0 },
  'PATCH /api/whatsapp/webhooks/:webhookId': { description: 'changed' },
  'POST /api/whatsapp/webhooks/:webhookId/replay': { since: new Date(Date.now() - 60_000).toISOString() },
};

/**
 * Routes that name no account: they answer only what is within the key's accounts (each checked below).
 * The event log names one optionally: walked with it, and narrowed without it below.
 */
const NARROWING = ['GET /api/whatsapp/accounts', 'GET /api/whatsapp/webhooks'];

const accountNotFound = (accountId: string) => ({ statusCode: 404, error: 'Not Found', message: `accountId: account "${accountId}" does not exist` });

const nameOf = (route: TableRoute) => `${route.method} ${route.url}`;
const ruleOf = (route: TableRoute) => (route.config as AccessRouteConfig).access;

describe("access rules, walked over Fastify's own route table", () => {
  let app: TestApp;
  const keys = {} as Record<'full' | 'twoAccounts' | Scope, string>;
  let otherWebhookId: string;
  let base: string;

  const admin = (method: string, url: string, body?: unknown) => app.request(method, url, { body });
  const asKey = (key: string, method: string, url: string, body?: unknown) => app.request(method, url, { body, headers: { 'x-api-key': key } });
  const newKey = async (accountIds: string[], scopes: string[]) => (await admin('POST', '/api/whatsapp/keys', { name: 'walk', accountIds, scopes })).body.key as string;
  const newEndpoint = async (accountId: string) => (await admin('POST', '/api/whatsapp/webhooks', { url: HOOK_URL, accountIds: [accountId] })).body.webhookId as string;

  beforeAll(async () => {
    app = await startTestApp({ OUTBOUND_ALLOW_HOSTS: '127.0.0.1:9', WEBHOOK_TIMEOUT_MS: '300', SEND_MIN_INTERVAL_MS: '0', EVENT_STREAM_POLL_MS: '20' });
    for (const accountId of [OWN, OTHER]) expect((await admin('POST', '/api/whatsapp/accounts', { accountId })).status).toBe(201);
    await eventually(() => admin('GET', `/api/whatsapp/accounts/${OWN}`), (r) => r.body.status === 'connected');
    keys.full = await newKey([OWN], [...SCOPES]);
    keys.twoAccounts = await newKey([OWN, MISSING], [...SCOPES]);
    for (const scope of SCOPES) keys[scope] = await newKey([OWN], SCOPES.filter((s) => s !== scope));
    otherWebhookId = await newEndpoint(OTHER);
    await app.app.listen(0, '127.0.0.1');
    base = await app.app.getUrl();
  });
  afterAll(() => app.close());

  const apiRoutes = () => app.routes.filter((route) => route.url.startsWith('/api/'));

  /** The request a route takes for one account (and, on webhook routes, one endpoint). */
  function requestFor(route: TableRoute, accountId: string, webhookId = 'wh_missing0'): { url: string; body?: unknown } {
    const rule = ruleOf(route)!;
    const params: Record<string, string> = { accountId, threadId: encodeURIComponent(`${accountId}__${CLIENT}`), messageId: 'm1', webhookId, keyId: 'key_AAAAAAAAAAAAAAAA', requestId: 'req-walk' };
    const url = route.url.replace(/:(\w+)/g, (_, name: string) => {
      if (!(name in params)) throw new Error(`${nameOf(route)}: the walk does not know the parameter :${name}; teach requestFor`);
      return params[name];
    });
    const [part, field] = (rule.account ?? '').split('.');
    const query = part === 'query' ? `?${field}=${accountId}` : '';
    let body: Record<string, unknown> | undefined = BODIES[nameOf(route)] ?? (route.method === 'GET' || route.method === 'DELETE' ? undefined : {});
    if (part === 'body') body = { ...body, [field]: accountId };
    if (nameOf(route) === 'POST /api/whatsapp/webhooks') body = { url: HOOK_URL, accountIds: [accountId] };
    if (nameOf(route) === 'POST /api/whatsapp/keys') body = { name: 'x', accountIds: [accountId], scopes: ['read'] };
    return { url: `${url}${query}`, body };
  }

  const namesAccount = (route: TableRoute, rule: AccessRule) => Boolean(rule.account || rule.thread) || route.url.includes(':webhookId') || nameOf(route) === 'POST /api/whatsapp/webhooks';

  it('finds every /api route in the table, each with an access rule', () => {
    const routes = apiRoutes();
    expect(routes.length).toBeGreaterThan(25);
    const without = routes.filter((route) => !ruleOf(route)).map(nameOf);
    expect(without, 'every /api route needs @Access(scope, {account|thread}) (src/access/access.decorator.ts)').toEqual([]);
    // Outside /api only the probes, the scraper, the API docs, signed media links (their signature is the key)
    // and the console's page and assets (the page holds no data: its calls send the operator's key).
    expect(app.routes.filter((route) => !route.url.startsWith('/api/')).every((route) => /^\/(health|metrics|docs|media\/|console)/.test(route.url))).toBe(true);
  });

  it('lists the routes that name no account, each narrowed by its own test below', () => {
    const narrowing = apiRoutes()
      .filter((route) => ruleOf(route)!.scope !== 'admin' && !namesAccount(route, ruleOf(route)!))
      .map(nameOf);
    expect(narrowing.sort()).toEqual([...NARROWING].sort());
  });

  it("lets a key with every scope through on its own account (admin routes: 403), whatever the route then answers", async () => {
    const refused: string[] = [];
    const succeeded: string[] = [];
    for (const route of apiRoutes()) {
      const rule = ruleOf(route)!;
      const { url, body } = requestFor(route, OWN, route.url.includes(':webhookId') ? await newEndpoint(OWN) : undefined);
      const answer = await asKey(keys.full, route.method, url, body);
      const expected = rule.scope === 'admin' ? answer.status === 403 && answer.body.message === 'scope: this route needs an admin key' : ![401, 403].includes(answer.status) && answer.body?.message !== accountNotFound(OWN).message && !/^webhookId: /.test(answer.body?.message ?? '');
      if (!expected) refused.push(`${nameOf(route)} -> ${answer.status} ${JSON.stringify(answer.body)}`);
      if (answer.status < 300) succeeded.push(nameOf(route));
    }
    expect(refused).toEqual([]);
    // The walk reaches the routes' work, not only their validation: most answer as they would an admin.
    console.log(`[access] ${succeeded.length} of ${apiRoutes().length} routes answered 2xx to the account key on its own account`);
    expect(succeeded.length).toBeGreaterThan(apiRoutes().length / 2);
  });

  it('answers another existing account and a missing one with the same 404 an unknown account (or endpoint) gets', async () => {
    const leaks: string[] = [];
    for (const route of apiRoutes()) {
      const rule = ruleOf(route)!;
      if (!namesAccount(route, rule)) continue;
      const other = requestFor(route, OTHER, otherWebhookId);
      const missing = requestFor(route, MISSING, 'wh_missing0');
      const [onOther, onMissing] = [await asKey(keys.full, route.method, other.url, other.body), await asKey(keys.full, route.method, missing.url, missing.body)];
      const same = (answer: typeof onOther, accountId: string, webhookId: string) =>
        JSON.stringify(answer.body).replaceAll(accountId, '<account>').replaceAll(webhookId, '<webhook>');
      const expectedBody = route.url.includes(':webhookId')
        ? { statusCode: 404, error: 'Not Found', message: 'webhookId: webhook "<webhook>" does not exist' }
        : { ...accountNotFound('<account>') };
      const fine = onOther.status === 404 && onMissing.status === 404 && same(onOther, OTHER, otherWebhookId) === same(onMissing, MISSING, 'wh_missing0') && same(onMissing, MISSING, 'wh_missing0') === JSON.stringify(expectedBody);
      if (!fine) leaks.push(`${nameOf(route)} -> other ${onOther.status} ${JSON.stringify(onOther.body)}, missing ${onMissing.status} ${JSON.stringify(onMissing.body)}`);
    }
    expect(leaks).toEqual([]);
  });

  it('answers a key lacking the scope a route needs with a 403 naming the scope', async () => {
    const wrong: string[] = [];
    for (const route of apiRoutes()) {
      const rule = ruleOf(route)!;
      if (rule.scope === 'admin') continue;
      const { url, body } = requestFor(route, OWN, route.url.includes(':webhookId') ? await newEndpoint(OWN) : undefined);
      const answer = await asKey(keys[rule.scope], route.method, url, body);
      if (answer.status !== 403 || !answer.body.message.includes(`"${rule.scope}" scope`)) wrong.push(`${nameOf(route)} -> ${answer.status} ${JSON.stringify(answer.body)}`);
    }
    expect(wrong).toEqual([]);
  });

  it("lists only the key's accounts", async () => {
    expect((await admin('GET', '/api/whatsapp/accounts')).body.items.map((a: { accountId: string }) => a.accountId)).toEqual(expect.arrayContaining([OWN, OTHER]));
    expect((await asKey(keys.full, 'GET', '/api/whatsapp/accounts')).body).toMatchObject({ items: [{ accountId: OWN }], nextCursor: null });
    expect((await asKey(keys.twoAccounts, 'GET', '/api/whatsapp/accounts?limit=1')).body.items.map((a: { accountId: string }) => a.accountId)).toEqual([OWN]);
  });

  it("pages the event log with only the key's accounts' events, for a key of one account and of two", async () => {
    for (const key of [keys.full, keys.twoAccounts]) {
      const items = (await asKey(key, 'GET', '/api/whatsapp/events?limit=200')).body.items as Array<{ data: { accountId: string } }>;
      expect(items.some((item) => item.data.accountId === OWN)).toBe(true);
      expect(items.filter((item) => item.data.accountId !== OWN)).toEqual([]);
    }
    expect(((await admin('GET', '/api/whatsapp/events?limit=200')).body.items as Array<{ data: { accountId: string } }>).some((item) => item.data.accountId === OTHER)).toBe(true);
  });

  it("streams only the key's accounts' events, and refuses a stream filtered on another account with the 404", async () => {
    const start = (await admin('GET', '/api/whatsapp/events?limit=200')).body.nextCursor as string;
    const controller = new AbortController();
    const response = await fetch(`${base}/api/whatsapp/events?after=${start}`, { headers: { accept: 'text/event-stream', 'x-api-key': keys.twoAccounts }, signal: controller.signal });
    const events: ServerSentEvent[] = [];
    const reading = readEventStream(response, (event) => events.push(event));
    for (const accountId of [OTHER, OWN]) await admin('POST', `/api/whatsapp/simulator/accounts/${accountId}/inbound`, { from: '40712345678', text: `to ${accountId}` });
    await eventually(() => events.some((e) => e.event === 'message.received'), Boolean);
    // The admin's page holds both: the one for OTHER was logged before OWN's, so the stream has passed it.
    const logged = (await admin('GET', `/api/whatsapp/events?after=${start}&limit=200`)).body.items as Array<{ type: string; data: { accountId: string } }>;
    expect(logged.filter((e) => e.type === 'message.received').map((e) => e.data.accountId)).toEqual([OTHER, OWN]);
    controller.abort();
    await reading;
    expect(events.map((e) => JSON.parse(e.data!).data.accountId).filter((id) => id !== OWN)).toEqual([]);
    const refused = await fetch(`${base}/api/whatsapp/events?accountId=${OTHER}`, { headers: { accept: 'text/event-stream', 'x-api-key': keys.twoAccounts } });
    expect([refused.status, await refused.json()]).toEqual([404, accountNotFound(OTHER)]);
  });

  it('ends the open stream of a deleted key within 5 s, saying so', async () => {
    const created = (await admin('POST', '/api/whatsapp/keys', { name: 'streamer', accountIds: [OWN], scopes: ['read'] })).body;
    const response = await fetch(`${base}/api/whatsapp/events`, { headers: { accept: 'text/event-stream', 'x-api-key': created.key } });
    const events: ServerSentEvent[] = [];
    const reading = readEventStream(response, (event) => events.push(event));
    expect((await admin('DELETE', `/api/whatsapp/keys/${created.keyId}`)).status).toBe(204);
    const deletedAt = Date.now();
    await reading;
    expect(Date.now() - deletedAt).toBeLessThan(5_000);
    expect(events.at(-1)?.event).toBe('revoked');
  });

  it("shows a key only the endpoints of its accounts, and makes its endpoints hear its accounts by default", async () => {
    const own = await newEndpoint(OWN);
    const listed = (await asKey(keys.full, 'GET', '/api/whatsapp/webhooks')).body.items.map((e: { webhookId: string }) => e.webhookId);
    expect(listed).toContain(own);
    expect(listed).not.toContain(otherWebhookId);
    expect((await admin('GET', '/api/whatsapp/webhooks')).body.items.map((e: { webhookId: string }) => e.webhookId)).toContain(otherWebhookId);
    const created = await asKey(keys.full, 'POST', '/api/whatsapp/webhooks', { url: HOOK_URL });
    expect([created.status, created.body.accountIds]).toEqual([201, [OWN]]);
    expect((await asKey(keys.full, 'PATCH', `/api/whatsapp/webhooks/${own}`, { accountIds: [OWN, OTHER] })).body).toEqual(accountNotFound(OTHER));
    expect((await asKey(keys.full, 'PATCH', `/api/whatsapp/webhooks/${own}`, { accountIds: null })).status).toBe(403);
  });

  it('refuses a deleted key within 5 s (401)', async () => {
    const created = (await admin('POST', '/api/whatsapp/keys', { name: 'gone', accountIds: [OWN], scopes: ['read'] })).body;
    const read = () => asKey(created.key, 'GET', `/api/whatsapp/accounts/${OWN}`);
    expect((await read()).status).toBe(200);
    expect((await admin('DELETE', `/api/whatsapp/keys/${created.keyId}`)).status).toBe(204);
    const deletedAt = Date.now();
    expect((await eventually(read, (r) => r.status === 401, 6_000)).status).toBe(401);
    expect(Date.now() - deletedAt).toBeLessThan(5_000);
  });
});
