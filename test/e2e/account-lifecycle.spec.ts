import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WhatsAppSimulator } from '../../src/whatsapp/simulator/whatsapp-simulator';
import { TestApp, startTestApp } from '../support/app';
import { eventually } from '../support/eventually';
import { readSimulatorLog } from '../support/simulator-log';

describe('account sockets and the operator endpoints (simulator)', () => {
  let t: TestApp;
  let simulator: WhatsAppSimulator;
  const dir = mkdtempSync(join(tmpdir(), 'wa-life-'));
  const logPath = join(dir, 'sim.log');
  const account = (id: string) => t.request('GET', `/api/whatsapp/accounts/${id}`).then((r) => r.body);
  const until = (id: string, done: (a: any) => boolean, ms = 8_000) => eventually(() => account(id), done, ms);
  const db = () => t.db();
  const sessionKeys = (id: string) => (db().prepare('SELECT COUNT(*) AS n FROM account_sessions WHERE account_id = ?').get(id) as { n: number }).n;
  const connects = (id: string) => readSimulatorLog(logPath).filter((l) => l.type === 'connect' && l.accountId === id).length;
  const connected = (id: string) => until(id, (a) => a.status === 'connected');
  const create = async (id: string) => {
    expect((await t.request('POST', '/api/whatsapp/accounts', { body: { accountId: id } })).status).toBe(201);
    return connected(id);
  };
  /** The account's first send goes at once; after it, pacing holds every later one in the outbox. */
  const createWithPacingEngaged = async (id: string) => {
    await create(id);
    const first = await queueSend(id, 'first, sent at once');
    await eventually(() => t.request('GET', first), (r) => r.body.status === 'sent');
  };
  const queueSend = async (accountId: string, text: string) => {
    const sent = await t.request('POST', '/api/whatsapp/send-message', { body: { accountId, to: '40712345678', message: text } });
    return `/api/whatsapp/threads/${encodeURIComponent(sent.body.threadId)}/messages/${sent.body.messageId}`;
  };

  beforeAll(async () => {
    // A very long pacing interval keeps sends waiting in the outbox, so what happens to them is visible.
    t = await startTestApp({ SEND_MIN_INTERVAL_MS: '600000', WA_SIMULATOR_LOG: logPath }, dir);
    simulator = t.app.get(WhatsAppSimulator);
  });
  afterAll(() => t.close());

  it('restart required: a new socket at once, no QR', async () => {
    await create('restart');
    const before = connects('restart');
    simulator.disconnect('restart', 'restartRequired');
    await eventually(() => connects('restart'), (n) => n > before);
    expect((await connected('restart')).status).toBe('connected');
  });

  it.each(['connectionClosed', 'connectionLost', 'timedOut', 'badSession', 'multideviceMismatch', 'forbidden', 'unavailableService'])(
    '%s: reconnects with backoff, from the stored session (no new QR)',
    async (reason) => {
      const id = `r-${reason}`.slice(0, 30);
      await create(id);
      simulator.disconnect(id, reason);
      const closed = await until(id, (a) => a.status === 'disconnected');
      expect(closed.lastDisconnectReason).toBe(reason === 'timedOut' ? 'connectionLost' : reason);
      expect((await until(id, (a) => a.status === 'connected', 5_000)).status).toBe('connected');
      expect(sessionKeys(id)).toBeGreaterThan(0);
    },
  );

  it('connection replaced: stops and does not fight until an operator asks for a reconnect', async () => {
    await create('replaced');
    const before = connects('replaced');
    simulator.disconnect('replaced', 'connectionReplaced');
    expect((await until('replaced', (a) => a.status === 'disconnected')).lastDisconnectReason).toBe('connectionReplaced');
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(connects('replaced')).toBe(before);
    expect((await account('replaced')).status).toBe('disconnected');
    expect((await t.request('POST', '/api/whatsapp/accounts/replaced/reconnect')).status).toBe(202);
    expect((await connected('replaced')).status).toBe('connected');
  });

  it('logged out: session cleared, waiting sends failed, no reconnect', async () => {
    await createWithPacingEngaged('gone');
    const waiting = await queueSend('gone', 'never from the next phone');
    const also = await queueSend('gone', 'nor this');
    simulator.disconnect('gone', 'loggedOut');
    const loggedOut = await until('gone', (a) => a.status === 'logged_out');
    expect(loggedOut).toMatchObject({ status: 'logged_out', lastDisconnectReason: 'loggedOut', ownerWorkerId: null });
    expect(sessionKeys('gone')).toBe(0);
    for (const url of [waiting, also]) expect((await t.request('GET', url)).body).toMatchObject({ status: 'failed', failureReason: 'loggedOut' });
    const before = connects('gone');
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(connects('gone')).toBe(before);
    // No instance takes it until the operator asks, so a pairing code is refused at once, not waited for.
    const pairing = await t.request('POST', '/api/whatsapp/accounts/gone/pairing-code', { body: { phoneNumber: '40712345678' } });
    expect(pairing).toMatchObject({ status: 409, body: { message: 'accountId: "gone" is logged out; POST reconnect (or reset-session) first' } });
  });

  it('reset session: logs out, clears the session, fails waiting sends, and links again', async () => {
    await createWithPacingEngaged('reset');
    const waiting = await queueSend('reset', 'stale');
    expect((await t.request('POST', '/api/whatsapp/accounts/reset/reset-session')).status).toBe(202);
    expect((await t.request('GET', waiting)).body).toMatchObject({ status: 'failed', failureReason: 'accountReset' });
    expect((await connected('reset')).status).toBe('connected');
  });

  it('delete: closes, clears the session, fails waiting sends; the threads stay', async () => {
    await createWithPacingEngaged('doomed');
    const waiting = await queueSend('doomed', 'left behind');
    expect((await t.request('DELETE', '/api/whatsapp/accounts/doomed')).status).toBe(204);
    expect((await t.request('GET', '/api/whatsapp/accounts/doomed')).status).toBe(404);
    expect(sessionKeys('doomed')).toBe(0);
    expect((await t.request('GET', waiting)).body).toMatchObject({ status: 'failed', failureReason: 'accountDeleted' });
    const lines = readSimulatorLog(logPath).filter((l) => l.accountId === 'doomed');
    expect(lines[lines.length - 1].type).toBe('disconnect');
  });
});

describe('linking by QR and pairing code (simulator with a scan required)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ WA_SIMULATOR_REQUIRE_SCAN: 'true' });
  });
  afterAll(() => t.close());

  it('serves the pending QR as PNG and as JSON, then links after the scan', async () => {
    await t.request('POST', '/api/whatsapp/accounts', { body: { accountId: 'qr1' } });
    const json = await eventually(() => t.request('GET', '/api/whatsapp/accounts/qr1/qr', { headers: { accept: 'application/json' } }), (r) => r.status === 200);
    expect(json.body).toMatchObject({ qr: expect.any(String), ageMs: expect.any(Number) });
    const png = await t.app.inject({ method: 'GET', url: '/api/whatsapp/accounts/qr1/qr', headers: { 'x-api-key': 'test-key-0123456789abcdef' } });
    expect(png.headers['content-type']).toBe('image/png');
    expect(png.rawPayload.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    t.app.get(WhatsAppSimulator).scan('qr1');
    const linked = await eventually(() => t.request('GET', '/api/whatsapp/accounts/qr1'), (r) => r.body.status === 'connected');
    expect(linked.body.status).toBe('connected');
    expect((await t.request('GET', '/api/whatsapp/accounts/qr1/qr')).status).toBe(404);
  });

  it('after the QR runs out (408 while showing it), shows a new one within the first backoff step, however often it expires', async () => {
    await t.request('POST', '/api/whatsapp/accounts', { body: { accountId: 'qr-expiry' } });
    const qrOf = () => t.request('GET', '/api/whatsapp/accounts/qr-expiry/qr', { headers: { accept: 'application/json' } });
    let shown = (await eventually(qrOf, (r) => r.status === 200)).body.qr;
    // Four expiries in a row: with a backoff that grew, the fourth new QR would wait 4-8 s (the first step is 0.5-1 s).
    for (let expiry = 1; expiry <= 4; expiry++) {
      expect(t.app.get(WhatsAppSimulator).disconnect('qr-expiry', 'timedOut')).toBe(true);
      const next = await eventually(qrOf, (r) => r.status === 200 && r.body.qr !== shown, 3_500);
      expect(next.body.qr, `a new QR within 3.5 s of expiry ${expiry}`).not.toBe(shown);
      expect((await t.request('GET', '/api/whatsapp/accounts/qr-expiry')).body).toMatchObject({ status: 'qr', lastDisconnectReason: 'timedOut' });
      shown = next.body.qr;
    }
  });

  it('gives a pairing code for an account waiting to link, and refuses a bad phone number', async () => {
    await t.request('POST', '/api/whatsapp/accounts', { body: { accountId: 'pair1' } });
    await eventually(() => t.request('GET', '/api/whatsapp/accounts/pair1'), (r) => r.body.status === 'qr');
    const bad = await t.request('POST', '/api/whatsapp/accounts/pair1/pairing-code', { body: { phoneNumber: '07123' } });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/^phoneNumber: /);
    const code = await t.request('POST', '/api/whatsapp/accounts/pair1/pairing-code', { body: { phoneNumber: '+40712345678' } });
    expect(code.status).toBe(200);
    expect(code.body.code).toMatch(/^[A-Z0-9]{8}$/);
  });
});
