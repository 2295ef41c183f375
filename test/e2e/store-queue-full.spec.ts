import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newAccount } from '../../src/accounts/account';
import { AccountRepository } from '../../src/accounts/account.repository';
import { TestApp, startTestApp } from '../support/app';
import { eventually } from '../support/eventually';

describe('a full store queue (STORE_QUEUE_LIMIT), through HTTP', () => {
  let t: TestApp;
  const outboxRows = (requestId: string) => t.db().prepare('SELECT status FROM outbox WHERE request_id = ?').all(requestId);
  const send = (key: string) => t.request('POST', '/api/whatsapp/send-message', { body: { accountId: 'accA', to: '40711111111', message: 'while full' }, headers: { 'idempotency-key': key } });

  beforeAll(async () => {
    t = await startTestApp({ STORE_QUEUE_LIMIT: '2', SEND_MIN_INTERVAL_MS: '0' });
    // With room for two waiting calls, the start's own store work (leases, purges) can fill the queue: a
    // client told 503 retries, as this one does.
    const created = await eventually(() => t.request('POST', '/api/whatsapp/accounts', { body: { accountId: 'accA' } }), (r) => r.status !== 503);
    expect(created.status).toBe(201);
    expect((await eventually(() => t.request('GET', '/api/whatsapp/accounts/accA'), (r) => r.body.status === 'connected')).body.status).toBe('connected');
  });
  afterAll(() => t.close());

  it('answers 503 with Retry-After while the store is stalled, writes nothing, still takes internal calls, and recovers', async () => {
    const accounts = t.app.get(AccountRepository);
    // Another writer holds the lock: the worker's next write waits for it, and the calls behind stay waiting.
    t.db().exec('BEGIN IMMEDIATE');
    const internal = [accounts.create(newAccount('stall1', null, 1)), accounts.create(newAccount('stall2', null, 2))];
    // Past the HTTP limit, an internal caller (as lease renewal is) still gets in: it has 4x the room.
    const renewalLike = accounts.get('accA');

    const refused = await send('full-1');
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.body).toEqual({ statusCode: 503, error: 'Service Unavailable', message: expect.stringMatching(/^store: .*waiting.*nothing was written/) });
    expect((await t.request('GET', '/api/whatsapp/accounts/accA')).status).toBe(503);
    expect((await t.request('GET', '/health/live')).status).toBe(200);

    t.db().exec('COMMIT');
    await Promise.all(internal);
    expect((await renewalLike)?.accountId).toBe('accA');
    expect(outboxRows('full-1')).toEqual([]);
    const retried = await send('full-1');
    expect(retried.status).toBe(202);
    expect(outboxRows('full-1')).toHaveLength(1);
  });
});
