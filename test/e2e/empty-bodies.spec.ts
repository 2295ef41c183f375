import { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_API_KEY, TestApp, startTestApp } from '../support/app';
import { eventually } from '../support/eventually';

/** Over a real socket, as a client that always sends its default content type (inject would not show how Node's HTTP stack frames an empty body). */
describe('an empty body with a content type, over HTTP', () => {
  let t: TestApp;
  let base: string;
  const call = async (method: string, path: string, contentType: string) => {
    const response = await fetch(`${base}${path}`, { method, headers: { 'x-api-key': TEST_API_KEY, 'content-type': contentType }, body: '' });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };

  beforeAll(async () => {
    t = await startTestApp({ WA_SIMULATOR_REQUIRE_SCAN: 'true' });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    expect((await t.request('POST', '/api/whatsapp/accounts', { body: { accountId: 'bodiless' } })).status).toBe(201);
    await eventually(() => t.request('GET', '/api/whatsapp/accounts/bodiless'), (r) => r.body.status === 'qr');
  });
  afterAll(() => t?.close());

  it.each(['application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded'])(
    'is accepted by the routes that take no body (%s)',
    async (contentType) => {
      expect(await call('POST', '/api/whatsapp/accounts/bodiless/reconnect', contentType)).toMatchObject({ status: 202, body: { requested: 'reconnect' } });
      expect(await call('POST', '/api/whatsapp/accounts/bodiless/reset-session', contentType)).toMatchObject({ status: 202, body: { requested: 'reset' } });
      await eventually(() => t.request('GET', '/api/whatsapp/accounts/bodiless'), (r) => r.body.status === 'qr');
      expect(await call('POST', '/api/whatsapp/simulator/accounts/bodiless/scan', contentType)).toMatchObject({ status: 202, body: { scanned: true } });
      await eventually(() => t.request('GET', '/api/whatsapp/accounts/bodiless'), (r) => r.body.status === 'connected');
      await t.request('POST', '/api/whatsapp/accounts/bodiless/reset-session');
      await eventually(() => t.request('GET', '/api/whatsapp/accounts/bodiless'), (r) => r.body.status === 'qr');
    },
  );

  it('deletes an account sent with an empty JSON body', async () => {
    expect((await t.request('POST', '/api/whatsapp/accounts', { body: { accountId: 'doomed' } })).status).toBe(201);
    expect((await call('DELETE', '/api/whatsapp/accounts/doomed', 'application/json')).status).toBe(204);
    expect((await t.request('GET', '/api/whatsapp/accounts/doomed')).status).toBe(404);
  });

  it('still answers 400 naming the fields where a route takes a body', async () => {
    const send = await call('POST', '/api/whatsapp/send-message', 'application/json');
    expect(send.status).toBe(400);
    expect(send.body.message).toEqual(expect.stringMatching(/accountId/));
    const create = await call('POST', '/api/whatsapp/accounts', 'application/json');
    expect(create.status).toBe(400);
    expect(create.body.message).toEqual(expect.stringMatching(/accountId/));
    const pairing = await call('POST', '/api/whatsapp/accounts/bodiless/pairing-code', 'application/json');
    expect(pairing.status).toBe(400);
    expect(pairing.body.message).toEqual(expect.stringMatching(/phoneNumber/));
  });
});
