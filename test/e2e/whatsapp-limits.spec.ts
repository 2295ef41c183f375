import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestApp, startTestApp } from '../support/app';
import { eventually } from '../support/eventually';
import { readSimulatorLog } from '../support/simulator-log';

/** The simulator log's send lines carry `rejected` when WhatsApp refused them (support's type leaves it out). */
type SendLine = { type: 'send'; accountId: string; waMessageId: string; at: number; rejected?: boolean };

const PAUSE_MS = 1_500;
const LOCK_DEFAULT_MS = 1_500;

describe("WhatsApp's limits pause the account, through the simulator's limits route", () => {
  const dir = mkdtempSync(join(tmpdir(), 'wa-limits-'));
  const logPath = join(dir, 'sim.log');
  let t: TestApp;

  const sends = (accountId: string) => (readSimulatorLog(logPath) as unknown as SendLine[]).filter((l) => l.type === 'send' && l.accountId === accountId);
  const account = async (accountId: string) => (await t.request('GET', `/api/whatsapp/accounts/${accountId}`)).body;
  const limit = (accountId: string, body: Record<string, unknown>) => t.request('POST', `/api/whatsapp/simulator/accounts/${accountId}/limits`, { body });
  const connected = async (accountId: string) => {
    expect((await t.request('POST', '/api/whatsapp/accounts', { body: { accountId } })).status).toBe(201);
    await eventually(() => account(accountId), (a) => a.status === 'connected');
  };
  const send = async (accountId: string, to: string, message: string) => {
    const accepted = await t.request('POST', '/api/whatsapp/send-message', { body: { accountId, to, message } });
    expect(accepted.status).toBe(202);
    return { waMessageId: accepted.body.waMessageId as string, url: `/api/whatsapp/threads/${encodeURIComponent(accepted.body.threadId)}/messages/${accepted.body.messageId}` };
  };
  const statusOf = async (sent: { url: string }) => (await t.request('GET', sent.url)).body.status as string;
  /** The account.status events from the pause on: the pause (set) and its end (pausedUntil null again). */
  const eventsOf = async (accountId: string) => {
    const items = (await t.request('GET', `/api/whatsapp/events?accountId=${accountId}&types=account.status&limit=200`)).body.items as Array<{ type: string; data: { account: Record<string, unknown> } }>;
    const paused = items.findIndex((e) => e.data.account.pausedUntil !== null);
    return paused === -1 ? [] : items.slice(paused);
  };
  const pauseAndEnd = (events: Awaited<ReturnType<typeof eventsOf>>) => events.map((e) => (e.data.account.pausedUntil === null ? 'ended' : 'paused'));
  const attemptsOf = (waMessageId: string) => (t.db().prepare('SELECT attempts FROM outbox WHERE wa_message_id = ?').get(waMessageId) as { attempts: number }).attempts;

  /** What a paused-then-resumed send must show: sent once, after one rejected try with the same id, never during the pause. */
  const expectSentOnceAfterPause = (accountId: string, waMessageId: string, pausedUntil: number) => {
    const lines = sends(accountId).filter((l) => l.waMessageId === waMessageId);
    expect(lines.map((l) => l.rejected === true)).toEqual([true, false]);
    expect(lines[1].at).toBeGreaterThanOrEqual(pausedUntil);
    expect(attemptsOf(waMessageId)).toBe(1);
  };

  beforeAll(async () => {
    t = await startTestApp(
      { SEND_MIN_INTERVAL_MS: '0', OUTBOX_POLL_MS: '100', WA_PAUSE_DEFAULT_MS: String(PAUSE_MS), WA_PAUSE_MAX_MS: '6000', WA_REACH_OUT_LOCK_MS: String(LOCK_DEFAULT_MS), WA_SIMULATOR_LOG: logPath },
      dir,
    );
  });
  afterAll(() => t.close());

  it('a 429 pauses the account (record and account.paused), nothing is sent meanwhile, and it resumes by itself with every send sent once', async () => {
    await connected('rate1');
    expect((await limit('rate1', { code: '429' })).status).toBe(202);
    const first = await send('rate1', '40712345001', 'first');
    const paused = await eventually(() => account('rate1'), (a) => a.pausedUntil !== null);
    expect(paused).toMatchObject({ status: 'connected', pauseReason: 'rate_overlimit', pausedUntil: expect.any(String) });
    const pausedUntil = Date.parse(paused.pausedUntil);
    const rejectedAt = sends('rate1').find((l) => l.rejected)!.at;
    expect(pausedUntil - rejectedAt).toBeGreaterThanOrEqual(PAUSE_MS - 50);
    expect(pausedUntil - rejectedAt).toBeLessThan(PAUSE_MS + 500);
    expect(await statusOf(first)).toBe('queued');

    // Accepted while paused: it waits too, and the summary shows why.
    const during = await send('rate1', '40712345002', 'during the pause');
    expect((await t.request('GET', '/api/whatsapp/accounts/rate1/summary')).body).toMatchObject({ pauseReason: 'rate_overlimit', pausedUntil: paused.pausedUntil });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect([await statusOf(first), await statusOf(during)]).toEqual(['queued', 'queued']);

    await eventually(() => Promise.all([statusOf(first), statusOf(during)]), (s) => s.every((status) => status === 'sent'));
    expect(await account('rate1')).toMatchObject({ pausedUntil: null, pauseReason: null, status: 'connected' });
    expectSentOnceAfterPause('rate1', first.waMessageId, pausedUntil);
    const duringLines = sends('rate1').filter((l) => l.waMessageId === during.waMessageId);
    expect(duringLines.map((l) => l.rejected === true)).toEqual([false]);
    expect(duringLines[0].at).toBeGreaterThanOrEqual(pausedUntil);

    const events = await eventually(() => eventsOf('rate1'), (e) => e.length >= 2);
    expect(pauseAndEnd(events)).toEqual(['paused', 'ended']);
    expect(events[0].data.account).toMatchObject({ accountId: 'rate1', pauseReason: 'rate_overlimit', pausedUntil: paused.pausedUntil });
  });

  it('a 429 again soon after resuming pauses twice as long', async () => {
    await connected('rate2');
    await limit('rate2', { code: '429' });
    const first = await send('rate2', '40712345003', 'one');
    await eventually(() => account('rate2'), (a) => a.pausedUntil !== null);
    // Resumed and the first sent; the next 429 comes well within one pause length of the resume.
    await eventually(() => statusOf(first), (status) => status === 'sent');
    await limit('rate2', { code: '429' });
    const second = await send('rate2', '40712345004', 'two');
    const paused = await eventually(() => account('rate2'), (a) => a.pausedUntil !== null);
    const rejectedAt = sends('rate2').filter((l) => l.rejected).at(-1)!.at;
    expect(Date.parse(paused.pausedUntil) - rejectedAt).toBeGreaterThanOrEqual(2 * PAUSE_MS - 50);
    await eventually(() => statusOf(second), (status) => status === 'sent');
    expectSentOnceAfterPause('rate2', second.waMessageId, Date.parse(paused.pausedUntil));
  });

  it("a 463 pauses the account until the lock's end WhatsApp reports, never fails the send, and it resumes by itself", async () => {
    await connected('lock1');
    const lockForMs = 3 * LOCK_DEFAULT_MS;
    expect((await limit('lock1', { code: '463', lockForMs })).status).toBe(202);
    const locked = await send('lock1', '40712345005', 'to a new chat');
    const paused = await eventually(() => account('lock1'), (a) => a.pausedUntil !== null);
    expect(paused).toMatchObject({ status: 'connected', pauseReason: 'reach_out_locked' });
    const pausedUntil = Date.parse(paused.pausedUntil);
    const rejectedAt = sends('lock1').find((l) => l.rejected)!.at;
    // The lock's end, not the default: the simulator set it lockForMs after the send.
    expect(pausedUntil - rejectedAt).toBeGreaterThanOrEqual(lockForMs - 50);
    expect(pausedUntil - rejectedAt).toBeLessThan(lockForMs + 500);
    expect(await statusOf(locked)).toBe('queued');

    await eventually(() => statusOf(locked), (status) => status !== 'queued', 15_000);
    expect(await statusOf(locked)).toBe('sent');
    expectSentOnceAfterPause('lock1', locked.waMessageId, pausedUntil);
    expect(pauseAndEnd(await eventsOf('lock1'))).toEqual(['paused', 'ended']);
  });

  it('a 463 without a reported end pauses for WA_REACH_OUT_LOCK_MS', async () => {
    await connected('lock2');
    await limit('lock2', { code: '463' });
    const locked = await send('lock2', '40712345006', 'to another new chat');
    const paused = await eventually(() => account('lock2'), (a) => a.pausedUntil !== null);
    const rejectedAt = sends('lock2').find((l) => l.rejected)!.at;
    expect(Date.parse(paused.pausedUntil) - rejectedAt).toBeGreaterThanOrEqual(LOCK_DEFAULT_MS - 50);
    expect(Date.parse(paused.pausedUntil) - rejectedAt).toBeLessThan(LOCK_DEFAULT_MS + 500);
    await eventually(() => statusOf(locked), (status) => status === 'sent');
    expectSentOnceAfterPause('lock2', locked.waMessageId, Date.parse(paused.pausedUntil));
  });

  it('refuses a limit the simulator cannot play, naming the field', async () => {
    await connected('bad1');
    const refused = await limit('bad1', { code: '500' });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toContain('code');
    expect((await limit('nobody', { code: '429' })).status).toBe(404);
  });
});
