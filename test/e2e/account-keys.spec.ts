import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestApp, startTestApp } from '../support/app';
import { eventually } from '../support/eventually';

describe('account keys: made and deleted by an admin key, stored hashed, refused everywhere soon after deletion', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  const create = (body: unknown) => app.request('POST', '/api/whatsapp/keys', { body });
  const asKey = (key: string, method: string, url: string, body?: unknown) => app.request(method, url, { body, headers: { 'x-api-key': key } });

  it('answers the key once, of the form wak_{keyId}_{43 base64url}; lists keys without it, and stores its SHA-256 only', async () => {
    const created = await create({ name: 'shop bot', accountIds: ['shop1', 'shop2'], scopes: ['send', 'read'] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'shop bot', accountIds: ['shop1', 'shop2'], scopes: ['send', 'read'] });
    expect(created.body.key).toMatch(new RegExp(`^wak_${created.body.keyId}_[A-Za-z0-9_-]{43}$`));
    const listed = await app.request('GET', '/api/whatsapp/keys');
    const { key, ...shown } = created.body;
    expect(listed.body.items).toContainEqual(shown);
    expect(JSON.stringify(listed.body)).not.toContain(key.slice(-43));
    const row = app.db().prepare('SELECT * FROM api_keys WHERE key_id = ?').get(created.body.keyId) as Record<string, string>;
    expect(JSON.stringify(row)).not.toContain(key.slice(-43));
    expect(row.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each([
    [{ accountIds: ['a1'], scopes: ['read'] }, 'name'],
    [{ name: 'x', accountIds: [], scopes: ['read'] }, 'accountIds'],
    [{ name: 'x', accountIds: ['a1', 'no/slash'], scopes: ['read'] }, 'accountIds[1]'],
    [{ name: 'x', accountIds: ['a1'], scopes: ['write'] }, 'scopes[0]'],
    [{ name: 'x', accountIds: ['a1'] }, 'scopes'],
  ])('refuses %j with a 400 naming %s', async (body, field) => {
    const refused = await create(body);
    expect(refused.status).toBe(400);
    expect(refused.body.message.startsWith(`${field}: `)).toBe(true);
  });

  it('keeps the key routes to admin keys: an account key gets 403, a made-up wak_ key 401', async () => {
    const { body } = await create({ name: 'reader', accountIds: ['a1'], scopes: ['read', 'send', 'manage'] });
    const refused = await asKey(body.key, 'GET', '/api/whatsapp/keys');
    expect(refused.status).toBe(403);
    expect(refused.body.message).toBe('scope: this route needs an admin key');
    const forged = `${body.key.slice(0, -43)}${'A'.repeat(43)}`;
    expect((await asKey(forged, 'GET', '/api/whatsapp/keys')).status).toBe(401);
    expect((await asKey('wak_key_AAAAAAAAAAAAAAAA_' + 'A'.repeat(43), 'GET', '/api/whatsapp/keys')).status).toBe(401);
  });

  it('refuses a deleted key within 5 s on another instance that used it a moment before', async () => {
    const other = await startTestApp({}, app.dir);
    try {
      const { body } = await create({ name: 'temp', accountIds: ['a1'], scopes: ['read'] });
      const onOther = () => other.request('GET', '/api/whatsapp/keys', { headers: { 'x-api-key': body.key } });
      expect((await onOther()).status).toBe(403);
      expect((await app.request('DELETE', `/api/whatsapp/keys/${body.keyId}`)).status).toBe(204);
      const deletedAt = Date.now();
      expect((await eventually(onOther, (r) => r.status === 401, 6_000)).status).toBe(401);
      expect(Date.now() - deletedAt).toBeLessThan(5_000);
      expect((await app.request('DELETE', `/api/whatsapp/keys/${body.keyId}`)).status).toBe(404);
    } finally {
      await other.app.close();
    }
  });

  it("deletes a key whose last account is deleted, and takes a deleted account out of another key's list", async () => {
    for (const accountId of ['gone1', 'kept1']) expect((await app.request('POST', '/api/whatsapp/accounts', { body: { accountId } })).status).toBe(201);
    const only = (await create({ name: 'only', accountIds: ['gone1'], scopes: ['read'] })).body;
    const both = (await create({ name: 'both', accountIds: ['gone1', 'kept1'], scopes: ['read'] })).body;
    expect((await app.request('DELETE', '/api/whatsapp/accounts/gone1')).status).toBe(204);
    const keys = await eventually(
      async () => (await app.request('GET', '/api/whatsapp/keys')).body.items as Array<{ keyId: string; accountIds: string[] }>,
      (items) => !items.some((k) => k.keyId === only.keyId),
    );
    expect(keys.find((k) => k.keyId === both.keyId)?.accountIds).toEqual(['kept1']);
    expect(keys.some((k) => k.keyId === only.keyId)).toBe(false);
  });
});
