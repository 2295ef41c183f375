import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestApp, startTestApp } from '../support/app';
import { eventually } from '../support/eventually';

const DEADLINE_MS = 1000;

describe('a store that does not answer within STORE_DEADLINE_MS, through HTTP (sqlite)', () => {
  let t: TestApp;
  const send = (headers: Record<string, string> = {}, body: Record<string, string> = {}) =>
    t.request('POST', '/api/whatsapp/send-message', { body: { accountId: 'accA', to: '40722222222', message: 'during the stall', ...body }, headers });
  const stored = (requestId: string) => t.db().prepare('SELECT message_id FROM outbox WHERE request_id = ?').all(requestId) as Array<{ message_id: string }>;
  const messagesInThread = () => (t.db().prepare("SELECT COUNT(*) AS n FROM messages WHERE text = 'during the stall'").get() as { n: number }).n;
  /** Another process holds the write lock: the store worker's next write waits for it (busy timeout 10 s), and every call behind it. */
  const stall = () => t.db().exec('BEGIN IMMEDIATE');
  const release = () => t.db().exec('COMMIT');

  beforeAll(async () => {
    t = await startTestApp({ STORE_DEADLINE_MS: String(DEADLINE_MS), SEND_MIN_INTERVAL_MS: '0' });
    // On a loaded machine the start's own store work can outlast a short deadline: retried, as a client would.
    const created = await eventually(() => t.request('POST', '/api/whatsapp/accounts', { body: { accountId: 'accA' } }), (r) => r.status !== 503);
    expect([201, 409]).toContain(created.status);
    await eventually(() => t.request('GET', '/api/whatsapp/accounts/accA'), (r) => r.body.status === 'connected');
  });
  afterAll(() => t.close());

  it('answers 503 with Retry-After within the deadline, naming the key; the write commits after, and the retry with that key answers the one stored message', async () => {
    stall();
    const started = Date.now();
    const refused = await send({ 'idempotency-key': 'stalled-1' });
    const waited = Date.now() - started;
    const read = await t.request('GET', '/api/whatsapp/accounts/accA');
    expect(refused.status).toBe(503);
    expect(waited).toBeLessThan(DEADLINE_MS + 1000);
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.body).toEqual({ statusCode: 503, error: 'Service Unavailable', requestId: 'stalled-1', message: expect.stringMatching(/^store: no answer within 1000 ms; .*unknown.*same Idempotency-Key \("stalled-1"\)/) });
    expect(read.status).toBe(503);
    expect(read.body.message).toMatch(/nothing was changed/);

    release();
    // The accept the 503 left running commits once the lock is free: the client could not know.
    await eventually(() => stored('stalled-1'), (rows) => rows.length === 1);
    const retried = await send({ 'idempotency-key': 'stalled-1' });
    expect(retried.status).toBe(202);
    expect(retried.body.messageId).toBe(stored('stalled-1')[0].message_id);
    expect(stored('stalled-1')).toHaveLength(1);
    expect(messagesInThread()).toBe(1);
  });

  it('names the key it made for a send that came without one, and the retry with it stores nothing twice', async () => {
    stall();
    const refused = await send({}, { message: 'keyless during the stall' });
    expect(refused.status).toBe(503);
    expect(refused.body.requestId).toEqual(expect.any(String));
    // The retry comes while the first write still waits for the lock: it queues behind it and finds it.
    const retry = send({ 'idempotency-key': refused.body.requestId }, { message: 'keyless during the stall' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    release();
    const retried = await retry;
    expect(retried.status).toBe(202);
    expect(stored(refused.body.requestId)).toEqual([{ message_id: retried.body.messageId }]);
  });
});
