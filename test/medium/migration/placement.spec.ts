import { describe, expect, it } from 'vitest';
import { newAccount } from '../../../src/accounts/account';
import { foldAccount } from '../../../src/migration/account-fold';
import { legacyDirection, legacyTime } from '../../../src/migration/legacy-fields';
import { legacyWaMessageId, placeMessage } from '../../../src/migration/message-placement';
import { RELEASE_NOTE, movedMessageOf, placeOutboxItem } from '../../../src/migration/outbox-placement';
import { requestHash } from '../../../src/messaging/request-hash';

const old = { oldThreadId: '40712345678:7@c.us', messageId: 'm1', accountId: 'acc1', direction: 'outbound' as const, text: 'hi', status: 'delivered', waMessageId: '3EB0AA', createdAt: 1_000 };

describe('placeMessage: an old message in its own account thread', () => {
  it('keeps its id, normalises the client JID into the thread id and trusts its status one step lower', () => {
    expect(placeMessage(old)).toEqual({
      placed: { ...old, oldThreadId: undefined, threadId: 'acc1__40712345678@s.whatsapp.net', clientJid: '40712345678@s.whatsapp.net', status: 'sent', updatedAt: 1_000, statusUncertain: true },
    });
  });

  it('gives a message the old code never sent a stable WhatsApp id in Baileys` format', () => {
    const placed = placeMessage({ ...old, waMessageId: undefined, status: 'queued' });
    expect('placed' in placed && placed.placed.waMessageId).toBe(legacyWaMessageId('acc1', 'm1'));
    expect(legacyWaMessageId('acc1', 'm1')).toMatch(/^3EB0[0-9A-F]{18}$/);
    expect(legacyWaMessageId('acc2', 'm1')).not.toBe(legacyWaMessageId('acc1', 'm1'));
  });

  it.each([
    [{ accountId: undefined }, /accountId/],
    [{ accountId: 'a__b' }, /accountId/],
    [{ oldThreadId: 'status@broadcast' }, /no person, LID or group JID/],
    // E.164 has no leading 0: such a JID names nobody, and kept as it is would be a second thread for one client.
    [{ oldThreadId: '040712345678@s.whatsapp.net' }, /no person, LID or group JID/],
    [{ messageId: 'a/b' }, /message id/],
    [{ direction: undefined }, /no direction/],
    [{ createdAt: undefined }, /no time/],
  ])('leaves in place, with the reason, a message it cannot place: %j', (change, reason) => {
    const placement = placeMessage({ ...old, ...change });
    expect('unplaceable' in placement && placement.unplaceable).toMatch(reason);
  });
});

describe('placeOutboxItem: an old outbox item beside its migrated message', () => {
  const message = { threadId: 'acc1__40712345678@s.whatsapp.net', messageId: 'm1', accountId: 'acc1', clientJid: '40712345678@s.whatsapp.net', direction: 'outbound' as const, text: 'hi', status: 'queued' as const, waMessageId: '3EB0AA', createdAt: 1_000, updatedAt: 1_000, seq: 4 };
  const item = { requestId: 'req-1', accountId: 'acc1', messageRef: 'threads/40712345678:7@c.us/messages/m1', status: 'processing', attempts: 2, createdAt: 1_000 };

  it('finds the message`s new path from the old ref and the item`s account', () => {
    expect(movedMessageOf(item)).toEqual({ placed: { threadId: message.threadId, messageId: 'm1' } });
  });

  it('leaves an item whose ref already names a new-layout thread, also of a numeric account id', () => {
    // `12345__4071...@s.whatsapp.net` read as an old JID would be client `12345@s.whatsapp.net`.
    for (const thread of ['12345__40712345678@s.whatsapp.net', 'acme___40712345678@s.whatsapp.net']) {
      const placement = movedMessageOf({ ...item, messageRef: `threads/${thread}/messages/m1` });
      expect('unplaceable' in placement && placement.unplaceable).toMatch(/already a new-layout thread id/);
    }
  });

  it('keys it by account, rewrites messageRef, releases a processing claim and recomputes the request hash', () => {
    const placement = placeOutboxItem(item, message);
    expect(placement).toMatchObject({
      placed: {
        released: true,
        item: { id: 'acc1__req-1', status: 'queued', claimedBy: null, leaseUntil: null, attempts: 2, lastError: RELEASE_NOTE, seq: 4, messageRef: `threads/${message.threadId}/messages/m1`, requestHash: requestHash(message.clientJid, 'hi'), endedAt: null },
      },
    });
  });

  it('keeps an ended item ended, and refuses one whose message belongs to another account', () => {
    expect(placeOutboxItem({ ...item, status: 'sent', updatedAt: 2_000 }, message)).toMatchObject({ placed: { released: false, item: { status: 'sent', endedAt: 2_000 } } });
    expect(placeOutboxItem(item, { ...message, accountId: 'acc2' })).toMatchObject({ unplaceable: expect.stringContaining('acc2') });
    expect(placeOutboxItem({ ...item, status: 'constructor' }, message)).toMatchObject({ unplaceable: expect.stringContaining('status') });
  });
});

describe('foldAccount: wa_accounts into accounts, never over a newer doc', () => {
  const current = { ...newAccount('acc1', 'Live', 5_000), ownerEpoch: 7, owner: 'w/1' };
  it.each([
    ['absent → created unowned', undefined, { accountId: 'acc1', name: 'Old', updatedAt: 100 }, { kind: 'create', account: { accountId: 'acc1', name: 'Old', status: 'disconnected', owner: null, ownerEpoch: 0, updatedAt: 100 } }],
    ['newer accounts doc → kept', current, { accountId: 'acc1', name: 'Old', updatedAt: 100 }, { kind: 'keep' }],
    ['legacy without a time → kept', current, { accountId: 'acc1', name: 'Old' }, { kind: 'keep' }],
    ['older accounts doc → name and phone only', current, { accountId: 'acc1', phone: '407', updatedAt: 9_000 }, { kind: 'fill', name: 'Live', phone: '407', updatedAt: 9_000 }],
  ])('%s', (_, account, legacy, expected) => {
    expect(foldAccount(legacy, account)).toMatchObject({ placed: expected });
  });
});

describe('legacy field readers', () => {
  it.each([
    [1_700_000_000, 1_700_000_000_000],
    [1_700_000_000_123, 1_700_000_000_123],
    ['2025-06-01T00:00:00.000Z', Date.UTC(2025, 5, 1)],
    [{ seconds: 10, nanoseconds: 5_000_000 }, 10_005],
    [{ toMillis: () => 42 }, 42],
    ['not a time', undefined],
    [null, undefined],
  ])('legacyTime(%j) = %j', (value, ms) => expect(legacyTime(value)).toBe(ms));

  it('reads direction from `direction`, else from `fromMe`', () => {
    expect([legacyDirection('outbound', undefined), legacyDirection(undefined, true), legacyDirection(undefined, false), legacyDirection(undefined, undefined)]).toEqual(['outbound', 'outbound', 'inbound', undefined]);
  });
});
