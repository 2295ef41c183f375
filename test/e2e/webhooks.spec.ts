import { randomBytes } from 'node:crypto';
import { IncomingHttpHeaders, Server, createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Resolver } from '../../src/outbound/outbound-client';
import { TEST_API_KEY, TestApp, startTestApp } from '../support/app';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A receiver on 127.0.0.1 answering by path, keeping every request it got. */
async function startReceiver(): Promise<{ server: Server; port: number; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      received.push({ path: req.url!, headers: req.headers, body });
      if (req.url === '/hang') return; // never answers
      if (req.url === '/redirect') return res.writeHead(302, { location: '/ok' }).end();
      const status = { '/ok': 204, '/gone': 410, '/fail': 500, '/busy': 503 }[req.url!] ?? 404;
      res.writeHead(status, status === 503 ? { 'retry-after': '120' } : {}).end(status === 500 ? 'x'.repeat(200_000) : undefined);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { server, port: (server.address() as AddressInfo).port, received };
}

/** Names as the tests need them: one inside a private network, one that is this machine. */
const resolver: Resolver = async (host) => {
  if (host === 'internal.example.test') return [{ address: '10.0.0.1', family: 4 }];
  if (host === 'receiver.test') return [{ address: '127.0.0.1', family: 4 }];
  throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
};

/** Stands for the receiver's /ok in tables (built before the receiver has a port). */
const OK_URL = 'receiver:/ok';
const SECRET_SHAPE = /^whsec_[A-Za-z0-9+/]{43}=$/;

describe('webhook endpoints over HTTP', () => {
  let t: TestApp;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let base: string;
  const url = (path: string) => `http://127.0.0.1:${receiver.port}${path}`;
  const create = async (body: Record<string, unknown>) => {
    const answer = await t.request('POST', '/api/whatsapp/webhooks', { body });
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    return answer.body as { webhookId: string; secret: string };
  };
  /** The receiver's requests to one path since `before` requests. */
  const delivered = (path: string, before: number) => receiver.received.slice(before).filter((r) => r.path === path);
  const verify = (secret: string, request: Received) => new Webhook(secret).verify(request.body, request.headers as Record<string, string>);

  beforeAll(async () => {
    receiver = await startReceiver();
    t = await startTestApp({ OUTBOUND_ALLOW_HOSTS: `127.0.0.1:${receiver.port}`, WEBHOOK_TIMEOUT_MS: '500' }, undefined, { outboundResolver: resolver });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await t?.close();
    receiver?.server.closeAllConnections();
    await new Promise((resolve) => receiver?.server.close(resolve));
  });

  it('creates an endpoint: 201, enabled, for every event and account, with a whsec_ secret of 32 bytes shown once', async () => {
    const created = await t.request('POST', '/api/whatsapp/webhooks', { body: { url: url('/ok'), description: 'CRM' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ webhookId: expect.stringMatching(/^wh_[A-Za-z0-9_-]+$/), url: url('/ok'), events: ['*'], accountIds: null, description: 'CRM', enabled: true, disabledReason: null });
    expect(created.body.secret).toMatch(SECRET_SHAPE);
    expect(Buffer.from(created.body.secret.slice(6), 'base64')).toHaveLength(32);
    const { webhookId, secret } = created.body;
    const [one, all] = await Promise.all([t.request('GET', `/api/whatsapp/webhooks/${webhookId}`), t.request('GET', '/api/whatsapp/webhooks')]);
    expect(one.status).toBe(200);
    expect(all.body.items.map((e: { webhookId: string }) => e.webhookId)).toContain(webhookId);
    for (const answer of [one.body, all.body]) {
      expect(JSON.stringify(answer)).not.toContain(secret.slice(6));
      expect(JSON.stringify(answer)).not.toMatch(/"secret"|whsec_/);
    }
    expect(JSON.stringify(t.logs)).not.toContain(secret.slice(6));
    expect(t.logs.some((line) => line.webhookId === webhookId && line.msg === 'webhook endpoint created')).toBe(true);
  });

  it('changes what a PATCH gives; enabled false then true enables it again', async () => {
    const { webhookId } = await create({ url: url('/ok'), events: ['message.received'], accountIds: ['acc1'] });
    const patched = await t.request('PATCH', `/api/whatsapp/webhooks/${webhookId}`, {
      body: { url: url('/fail'), events: ['message.sent', 'account.status'], accountIds: ['acc2', 'acc3_'], description: 'moved', enabled: false },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ url: url('/fail'), events: ['message.sent', 'account.status'], accountIds: ['acc2', 'acc3_'], description: 'moved', enabled: false, disabledReason: 'byRequest' });
    expect(patched.body.secret).toBeUndefined();
    const again = await t.request('PATCH', `/api/whatsapp/webhooks/${webhookId}`, { body: { enabled: true, accountIds: null, description: null } });
    expect(again.body).toMatchObject({ url: url('/fail'), accountIds: null, description: null, enabled: true, disabledReason: null });
    expect((await t.request('GET', `/api/whatsapp/webhooks/${webhookId}`)).body).toEqual(again.body);
  });

  it('deletes an endpoint: 204, then 404 for it', async () => {
    const { webhookId } = await create({ url: url('/ok') });
    expect((await t.request('DELETE', `/api/whatsapp/webhooks/${webhookId}`)).status).toBe(204);
    expect((await t.request('GET', `/api/whatsapp/webhooks/${webhookId}`)).status).toBe(404);
    const twice = await t.request('DELETE', `/api/whatsapp/webhooks/${webhookId}`);
    expect(twice).toMatchObject({ status: 404, body: { message: `webhookId: webhook "${webhookId}" does not exist` } });
  });

  it.each<[string, Record<string, unknown>, RegExp]>([
    ['no url', {}, /url: .*must be a string/],
    ['an unknown event type', { url: OK_URL, events: ['message.received', 'message.nope'] }, /events: must be a list of event types \(message.accepted, .*\), or \["\*"\] alone/],
    ['"*" beside a type', { url: OK_URL, events: ['*', 'message.sent'] }, /events: must be a list of event types/],
    ['no event', { url: OK_URL, events: [] }, /events: must be a list/],
    ['an empty account list', { url: OK_URL, accountIds: [] }, /accountIds: must name at least one account/],
    ['a malformed account id', { url: OK_URL, accountIds: ['acc1', 'two__parts'] }, /accountIds\[1\]: must be 1-64 letters/],
    ['a description that is no string', { url: OK_URL, description: 5 }, /description: .*must be a string/],
    ['an unknown field', { url: OK_URL, secret: 'whsec_mine' }, /secret: .*should not exist/],
  ])('refuses a create with %s, naming the field', async (_why, body, message) => {
    const answer = await t.request('POST', '/api/whatsapp/webhooks', { body: body.url === OK_URL ? { ...body, url: url('/ok') } : body });
    expect(answer.status).toBe(400);
    expect(answer.body.message).toMatch(message);
  });

  it('refuses a PATCH with a null url or events, and a malformed or unknown id', async () => {
    const { webhookId } = await create({ url: url('/ok') });
    for (const [body, message] of [
      [{ url: null }, /url: .*must be a string/],
      [{ events: null }, /events: must be a list/],
      [{ enabled: 'yes' }, /enabled: must be a boolean/],
      [{ accountIds: [] }, /accountIds: must name at least one/],
    ] as const) {
      const answer = await t.request('PATCH', `/api/whatsapp/webhooks/${webhookId}`, { body });
      expect([answer.status, answer.body.message]).toEqual([400, expect.stringMatching(message)]);
    }
    expect((await t.request('GET', `/api/whatsapp/webhooks/${webhookId}`)).body).toMatchObject({ url: url('/ok'), events: ['*'], enabled: true });
    expect((await t.request('GET', '/api/whatsapp/webhooks/not-a-webhook')).body).toMatchObject({ statusCode: 400, message: expect.stringMatching(/^webhookId: must be "wh_"/) });
    expect((await t.request('PATCH', '/api/whatsapp/webhooks/wh_nothing', { body: { enabled: true } })).status).toBe(404);
    expect((await t.request('POST', '/api/whatsapp/webhooks/wh_nothing/test')).status).toBe(404);
  });

  it.each<[string, string, RegExp]>([
    ['a name resolving to a private address', 'http://internal.example.test/in', /^url: internal\.example\.test resolves to 10\.0\.0\.1, a private address$/],
    ['a name resolving to this machine', 'https://receiver.test/in', /^url: receiver\.test resolves to 127\.0\.0\.1, a loopback address$/],
    ['a loopback literal on a port not allowed', 'http://127.0.0.1:1/in', /^url: 127\.0\.0\.1 resolves to 127\.0\.0\.1, a loopback address$/],
    ['the metadata address', 'http://169.254.169.254/latest/meta-data/', /^url: .*link-local \(cloud metadata\)/],
    ['a name that does not resolve', 'https://nowhere.example.test/in', /^url: nowhere\.example\.test does not resolve \(ENOTFOUND\)$/],
    ['another scheme', 'ftp://files.example.com/in', /^url: ftp: is not http: or https:$/],
    ['credentials in the URL', 'http://user:pw@hooks.example.com/in', /^url: credentials in the URL are not accepted$/],
  ])('refuses %s at create and at PATCH, with the reason', async (_why, refused, message) => {
    const answer = await t.request('POST', '/api/whatsapp/webhooks', { body: { url: refused } });
    expect([answer.status, answer.body.message]).toEqual([400, expect.stringMatching(message)]);
    const { webhookId } = await create({ url: url('/ok') });
    const patch = await t.request('PATCH', `/api/whatsapp/webhooks/${webhookId}`, { body: { url: refused } });
    expect([patch.status, patch.body.message]).toEqual([400, expect.stringMatching(message)]);
    expect((await t.request('GET', `/api/whatsapp/webhooks/${webhookId}`)).body.url).toBe(url('/ok'));
  });

  it('sends a signed webhook.test the official verifier accepts, and after a rotation signs with both secrets', async () => {
    const { webhookId, secret } = await create({ url: url('/ok') });
    let before = receiver.received.length;
    const tested = await t.request('POST', `/api/whatsapp/webhooks/${webhookId}/test`);
    expect(tested).toMatchObject({ status: 200, body: { ok: true, status: 204, ms: expect.any(Number) } });
    const [first] = delivered('/ok', before);
    expect(first.headers['content-type']).toBe('application/json');
    const body = verify(secret, first) as { type: string; timestamp: string; data: { id: string; occurredAt: string } };
    expect(body).toEqual({ type: 'webhook.test', timestamp: expect.any(String), data: { id: expect.stringMatching(/^evt_test_[A-Za-z0-9_-]+$/), occurredAt: body.timestamp } });
    expect(Object.keys(JSON.parse(first.body))).toEqual(['type', 'timestamp', 'data']);
    expect(first.headers['webhook-id']).toBe(body.data.id);
    expect(Number(first.headers['webhook-timestamp'])).toBe(Math.floor(Date.parse(body.timestamp) / 1000));
    expect(first.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);

    const rotated = await t.request('POST', `/api/whatsapp/webhooks/${webhookId}/rotate-secret`);
    expect(rotated.status).toBe(200);
    expect(rotated.body).toEqual({ webhookId, secret: expect.stringMatching(SECRET_SHAPE), previousSecretExpiresAt: expect.any(String) });
    expect(rotated.body.secret).not.toBe(secret);
    expect(Date.parse(rotated.body.previousSecretExpiresAt) - Date.now()).toBeGreaterThan(23.9 * 3_600_000);
    expect((await t.request('GET', `/api/whatsapp/webhooks/${webhookId}`)).body.previousSecretExpiresAt).toBe(rotated.body.previousSecretExpiresAt);

    before = receiver.received.length;
    expect((await t.request('POST', `/api/whatsapp/webhooks/${webhookId}/test`)).body).toMatchObject({ ok: true, status: 204 });
    const [second] = delivered('/ok', before);
    expect(String(second.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(verify(rotated.body.secret, second)).toMatchObject({ type: 'webhook.test' });
    expect(verify(secret, second)).toMatchObject({ type: 'webhook.test' });
    expect(() => verify(`whsec_${randomBytes(32).toString('base64')}`, second)).toThrow(/No matching signature/);
    expect(JSON.stringify(t.logs)).not.toContain(rotated.body.secret.slice(6));
  });

  it.each<[string, Record<string, unknown>]>([
    ['/gone', { ok: false, status: 410 }],
    ['/fail', { ok: false, status: 500 }],
    ['/busy', { ok: false, status: 503 }],
    ['/redirect', { ok: false, status: 302 }],
    ['/hang', { ok: false, error: expect.stringMatching(/no answer from .*\/hang within 500 ms/) }],
  ])('reports what %s answered, and leaves the endpoint as it was', async (path, outcome) => {
    const { webhookId } = await create({ url: url(path) });
    const before = receiver.received.length;
    const started = Date.now();
    const tested = await t.request('POST', `/api/whatsapp/webhooks/${webhookId}/test`);
    expect(tested.status).toBe(200);
    expect(tested.body).toEqual({ ...outcome, ms: expect.any(Number) });
    if (path === '/hang') expect(Date.now() - started).toBeLessThan(3000);
    // No redirect is followed: the receiver saw the one request.
    expect(receiver.received.slice(before).map((r) => r.path)).toEqual([path]);
    expect((await t.request('GET', `/api/whatsapp/webhooks/${webhookId}`)).body).toMatchObject({ enabled: true, disabledReason: null });
  });

  it('takes rotate-secret, test and DELETE with an empty body whatever its content type', async () => {
    const { webhookId } = await create({ url: url('/ok') });
    for (const contentType of ['application/json', 'text/plain']) {
      const call = (method: string, path: string) =>
        fetch(`${base}/api/whatsapp/webhooks/${webhookId}${path}`, { method, headers: { 'x-api-key': TEST_API_KEY, 'content-type': contentType }, body: '' });
      expect((await call('POST', '/rotate-secret')).status).toBe(200);
      expect(await (await call('POST', '/test')).json()).toMatchObject({ ok: true });
    }
    const deleted = await fetch(`${base}/api/whatsapp/webhooks/${webhookId}`, { method: 'DELETE', headers: { 'x-api-key': TEST_API_KEY, 'content-type': 'application/json' }, body: '' });
    expect(deleted.status).toBe(204);
  });

  it('needs the API key, and is in the API docs under it', async () => {
    expect((await t.request('GET', '/api/whatsapp/webhooks', { headers: { 'x-api-key': '' } })).status).toBe(401);
    const document = (await t.request('GET', '/docs-json')).body;
    expect(document.paths['/api/whatsapp/webhooks'].post.security).toEqual([{ 'api-key': [] }]);
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/api/whatsapp/webhooks/{webhookId}', '/api/whatsapp/webhooks/{webhookId}/rotate-secret', '/api/whatsapp/webhooks/{webhookId}/test']));
  });
});

describe('wh_env, declared by WEBHOOK_URL and WEBHOOK_SECRET', () => {
  it('exists after the start for every event and account, signs with WEBHOOK_SECRET, and is updated in place at the next start', async () => {
    const receiver = await startReceiver();
    const secret = `whsec_${randomBytes(32).toString('base64')}`;
    const env = { OUTBOUND_ALLOW_HOSTS: `127.0.0.1:${receiver.port}`, WEBHOOK_URL: `http://127.0.0.1:${receiver.port}/ok`, WEBHOOK_SECRET: secret };
    const first = await startTestApp(env);
    try {
      const declared = await first.request('GET', '/api/whatsapp/webhooks/wh_env');
      expect(declared.body).toMatchObject({ webhookId: 'wh_env', url: env.WEBHOOK_URL, events: ['*'], accountIds: null, enabled: true });
      expect(JSON.stringify(declared.body)).not.toContain(secret.slice(6));
      expect((await first.request('POST', '/api/whatsapp/webhooks/wh_env/test')).body).toMatchObject({ ok: true, status: 204 });
      expect(new Webhook(secret).verify(receiver.received[0].body, receiver.received[0].headers as Record<string, string>)).toMatchObject({ type: 'webhook.test' });
      expect(JSON.stringify(first.logs)).not.toContain(secret.slice(6));
      await first.app.close();

      const second = await startTestApp({ ...env, WEBHOOK_URL: `http://127.0.0.1:${receiver.port}/fail` }, first.dir);
      const list = (await second.request('GET', '/api/whatsapp/webhooks')).body.items;
      expect(list).toEqual([expect.objectContaining({ webhookId: 'wh_env', url: `http://127.0.0.1:${receiver.port}/fail`, createdAt: declared.body.createdAt })]);
      await second.close();
    } finally {
      receiver.server.closeAllConnections();
      await new Promise((resolve) => receiver.server.close(resolve));
    }
  });
});
