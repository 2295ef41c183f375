import { describe, expect, it } from 'vitest';
import { StreamEvent } from '../../console/src/event-stream';
import { AccountView, Fleet, applyEvent, viewOf, visibleAccounts, withSummary } from '../../console/src/fleet';

const account = (accountId: string, changes: Partial<AccountView> = {}): AccountView => ({ ...viewOf({ accountId }), ...changes });
const fleetOf = (...accounts: AccountView[]): Fleet => new Map(accounts.map((a) => [a.accountId, a]));
const event = (type: string, accountId: string, extra: Record<string, unknown> = {}): StreamEvent => ({
  cursor: '1',
  type,
  body: { type, timestamp: '2026-12-03T10:00:00.000Z', data: { id: 'evt_1', accountId, occurredAt: '2026-12-03T10:00:00.000Z', ...extra } },
});

describe("the console's fleet model", () => {
  it.each([
    ['account.status takes the snapshot', event('account.status', 'a1', { account: { accountId: 'a1', status: 'connected', phone: '407' } }), { status: 'connected', phone: '407', qrVersion: 0 }],
    ['account.status shows a pause', event('account.status', 'a1', { account: { accountId: 'a1', status: 'connected', pausedUntil: '2026-12-03T10:01:00.000Z', pauseReason: 'rate_overlimit' } }), { pausedUntil: '2026-12-03T10:01:00.000Z', pauseReason: 'rate_overlimit' }],
    ['account.status clears it', event('account.status', 'a1', { account: { accountId: 'a1', status: 'connected', pausedUntil: null, pauseReason: null } }), { pausedUntil: null, pauseReason: null }],
    ['account.qr asks for the QR again', event('account.qr', 'a1', { account: { accountId: 'a1', status: 'qr' } }), { status: 'qr', qrVersion: 1 }],
    ['message.received moves last inbound', event('message.received', 'a1'), { lastInboundAt: '2026-12-03T10:00:00.000Z' }],
    ['an outbound message.sent moves last outbound', event('message.sent', 'a1', { message: { direction: 'outbound' } }), { lastOutboundAt: '2026-12-03T10:00:00.000Z' }],
    ['an inbound message.sent does not', event('message.sent', 'a1', { message: { direction: 'inbound' } }), { lastOutboundAt: null }],
  ])('%s', (_name, change, expected) => {
    const before = fleetOf(account('a1', { status: 'disconnected', outbox: { queued: 1, processing: 0, failed: 2 } }));
    expect(applyEvent(before, change).get('a1')).toMatchObject({ ...expected, outbox: { queued: 1, processing: 0, failed: 2 } });
  });

  it('adds an account on account.created and removes it on account.deleted', () => {
    const created = applyEvent(new Map(), event('account.created', 'a2', { account: { accountId: 'a2', status: 'connecting' } }));
    expect(created.get('a2')?.status).toBe('connecting');
    expect(applyEvent(created, event('account.deleted', 'a2')).has('a2')).toBe(false);
  });

  it("takes a summary's counts and newest times, never its status (it may be 10 s old)", () => {
    const fleet = fleetOf(account('a1', { status: 'connected', lastInboundAt: '2026-12-03T10:00:05.000Z' }));
    const next = withSummary(fleet, { accountId: 'a1', lastInboundAt: '2026-12-03T10:00:01.000Z', lastOutboundAt: '2026-12-03T09:00:00.000Z', outbox: { queued: 0, processing: 1, failed: 3 }, readAt: '2026-12-03T10:00:06.000Z' });
    expect(next.get('a1')).toMatchObject({ status: 'connected', lastInboundAt: '2026-12-03T10:00:05.000Z', lastOutboundAt: '2026-12-03T09:00:00.000Z', outbox: { failed: 3 } });
  });

  it.each([
    ['all', '', ['a1', 'b2', 'c3']],
    ['qr', '', ['b2']],
    ['failing', '', ['c3']],
    ['all', 'desk', ['a1']],
    ['all', '4079', ['c3']],
  ])('status %s and search "%s" show %j', (status, search, expected) => {
    const fleet = fleetOf(
      account('c3', { status: 'connected', phone: '40790000', outbox: { queued: 0, processing: 0, failed: 1 } }),
      account('a1', { status: 'connected', name: 'Front Desk' }),
      account('b2', { status: 'qr' }),
    );
    expect(visibleAccounts(fleet, status, search).map((a) => a.accountId)).toEqual(expected);
  });
});
