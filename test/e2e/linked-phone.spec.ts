import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WhatsAppSimulator } from '../../src/whatsapp/simulator/whatsapp-simulator';
import { TestApp, startTestApp } from '../support/app';
import { eventually } from '../support/eventually';
import { readSimulatorLog } from '../support/simulator-log';

const PHONE_A = '40711111111';
const PHONE_B = '40722222222';

describe('the phone an account is linked to, and a deleted id made again (simulator, scan required)', () => {
  let t: TestApp;
  let simulator: WhatsAppSimulator;
  const dir = mkdtempSync(join(tmpdir(), 'wa-phone-'));
  const logPath = join(dir, 'sim.log');
  const account = (id: string) => t.request('GET', `/api/whatsapp/accounts/${id}`).then((r) => r.body);
  const until = (id: string, done: (a: any) => boolean) => eventually(() => account(id), done, 8_000);
  const send = (accountId: string, message: string, requestId?: string) =>
    t.request('POST', '/api/whatsapp/send-message', { body: { accountId, to: '40712345678', message, ...(requestId ? { requestId } : {}) } });
  const messageUrl = (answer: { threadId: string; messageId: string }) => `/api/whatsapp/threads/${encodeURIComponent(answer.threadId)}/messages/${answer.messageId}`;
  const sentIds = (id: string) => readSimulatorLog(logPath).filter((l) => l.type === 'send' && l.accountId === id).map((l) => (l as { waMessageId: string }).waMessageId);
  /** Links the account's waiting socket to `phone` by a pairing code entered on that phone. */
  const linkTo = async (id: string, phone: string) => {
    await until(id, (a) => a.status === 'qr');
    expect((await t.request('POST', `/api/whatsapp/accounts/${id}/pairing-code`, { body: { phoneNumber: phone } })).status).toBe(200);
    expect(simulator.scan(id)).toBe(true);
    return until(id, (a) => a.status === 'connected');
  };

  beforeAll(async () => {
    t = await startTestApp({ WA_SIMULATOR_REQUIRE_SCAN: 'true', WA_SIMULATOR_LOG: logPath }, dir);
    simulator = t.app.get(WhatsAppSimulator);
  });
  afterAll(() => t.close());

  it('answers 409 naming the state to a send to a logged-out account', async () => {
    expect((await t.request('POST', '/api/whatsapp/accounts', { body: { accountId: 'out' } })).status).toBe(201);
    await linkTo('out', PHONE_A);
    simulator.disconnect('out', 'loggedOut');
    await until('out', (a) => a.status === 'logged_out');
    const refused = await send('out', 'nobody will send this');
    expect(refused).toMatchObject({ status: 409, body: { statusCode: 409, error: 'Conflict' } });
    expect(refused.body.message).toMatch(/^accountId: "out" is logged_out/);
  });

  it('fails the sends bound to the phone linked before with accountRelinked once another phone links, and sends none of them', async () => {
    expect((await t.request('POST', '/api/whatsapp/accounts', { body: { accountId: 'relink' } })).status).toBe(201);
    expect((await linkTo('relink', PHONE_A)).phone).toBe(PHONE_A);
    simulator.disconnect('relink', 'loggedOut');
    await until('relink', (a) => a.status === 'logged_out');
    expect((await t.request('POST', '/api/whatsapp/accounts/relink/reconnect')).status).toBe(202);
    // Waiting to be linked again: the account still remembers phone A, and what is accepted now is for it.
    await until('relink', (a) => a.status === 'qr');
    const forA = [await send('relink', 'for A, 1'), await send('relink', 'for A, 2')].map((r) => r.body);
    expect((await linkTo('relink', PHONE_B)).phone).toBe(PHONE_B);
    for (const answer of forA) {
      const failed = await eventually(() => t.request('GET', messageUrl(answer)), (r) => r.body.status === 'failed');
      expect(failed.body).toMatchObject({ status: 'failed', failureReason: 'accountRelinked' });
    }
    const forB = (await send('relink', 'for B')).body;
    await eventually(() => t.request('GET', messageUrl(forB)), (r) => r.body.status === 'sent');
    expect(sentIds('relink')).toEqual([forB.waMessageId]);
  });

  it('removes a deleted account’s threads and records: a re-created id starts empty, and the same request id sends anew', async () => {
    expect((await t.request('POST', '/api/whatsapp/accounts', { body: { accountId: 'again' } })).status).toBe(201);
    await linkTo('again', PHONE_A);
    const first = (await send('again', 'before the delete', 'same-request-1')).body;
    await eventually(() => t.request('GET', messageUrl(first)), (r) => r.body.status === 'sent');
    expect((await t.request('DELETE', '/api/whatsapp/accounts/again')).status).toBe(204);
    // 409 while the purge runs (it may already be done), then 201.
    const created = await eventually(() => t.request('POST', '/api/whatsapp/accounts', { body: { accountId: 'again' } }), (r) => r.status !== 409);
    expect(created.status).toBe(201);
    expect((await t.request('GET', '/api/whatsapp/threads?accountId=again')).body.items).toEqual([]);
    expect((await t.request('GET', `/api/whatsapp/threads/${encodeURIComponent(first.threadId)}/messages`)).status).toBe(404);
    await linkTo('again', PHONE_A);
    const anew = await send('again', 'before the delete', 'same-request-1');
    expect(anew.status).toBe(202);
    expect(anew.body.messageId).not.toBe(first.messageId);
    await eventually(() => t.request('GET', messageUrl(anew.body)), (r) => r.body.status === 'sent');
    expect(sentIds('again')).toEqual([first.waMessageId, anew.body.waMessageId]);
  });
});
