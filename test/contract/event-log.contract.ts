import { describe, expect, it } from 'vitest';
import { threadIdOf } from '../../src/common/jid';
import { deliveryBodyOf } from '../../src/events/delivery-body';
import { EVENT_ID_PATTERN, LoggedEvent } from '../../src/events/event';
import { CursorExpired, CursorInvalid } from '../../src/events/event-log.repository';
import { failureOf } from '../../src/messaging/failure-reason';
import { messageAnswer } from '../../src/messaging/message-answer';
import { claimOf } from '../../src/outbox/claim-rule';
import { acceptedSend, account } from '../support/sends';
import { StoreFixture } from './store-fixture';

const CLIENT = '40712345678@s.whatsapp.net';

/** Every event the log holds now, oldest first. */
async function logged(store: StoreFixture): Promise<LoggedEvent[]> {
  const events: LoggedEvent[] = [];
  for (let cursor: string | null = null; ; ) {
    const read = await store.events.read(cursor, {}, 50);
    events.push(...read.entries.map((entry) => entry.event));
    if (read.entries.length < 50) return events;
    cursor = read.next;
  }
}

/** What a store change appended, by type. */
async function appendedBy(store: StoreFixture, change: () => Promise<unknown>): Promise<string[]> {
  const before = (await logged(store)).length;
  await change().catch(() => undefined);
  return (await logged(store)).slice(before).map((event) => event.type);
}

async function heldAccount(store: StoreFixture, accountId: string) {
  await store.accounts.create(account(accountId));
  const [taken] = await store.accounts.claimUnowned('w1/a', Date.now(), 3_600_000, 1);
  return { accountId, owner: 'w1/a', ownerEpoch: taken.ownerEpoch };
}

export function eventLogContract(make: () => Promise<StoreFixture>): void {
  describe('EventLog, appended with each change', () => {
    it("logs an accept with the message as the route answers it, and nothing for the idempotent repeat", async () => {
      const store = await make();
      await store.accounts.create(account('acc1'));
      const send = acceptedSend({ accountId: 'acc1' });
      expect(await appendedBy(store, () => store.outbox.accept(send))).toEqual(['message.accepted']);
      expect(await appendedBy(store, () => store.outbox.accept(send))).toEqual([]);
      const [event] = (await logged(store)).filter((e) => e.type === 'message.accepted');
      expect(event.eventId).toMatch(EVENT_ID_PATTERN);
      expect(event.subject).toEqual({ message: messageAnswer((await store.threads.getMessage(send.threadId, send.messageId))!) });
      expect(deliveryBodyOf(event)).toMatchObject({ type: 'message.accepted', data: { id: event.eventId, accountId: 'acc1', message: { status: 'queued', statusRank: 0, type: 'text' } } });
      await store.close();
    });

    it('logs nothing for a change that did not happen: an unknown or logged-out account refuses the accept', async () => {
      const store = await make();
      expect(await appendedBy(store, () => store.outbox.accept(acceptedSend({ accountId: 'ghost' })))).toEqual([]);
      const held = await heldAccount(store, 'acc1');
      await store.accounts.end(held, { reason: 'loggedOut', patch: { status: 'logged_out', updatedAt: Date.now() }, release: true, resetRequestedAt: null });
      expect(await appendedBy(store, () => store.outbox.accept(acceptedSend({ accountId: 'acc1' })))).toEqual([]);
      await store.close();
    });

    it('logs an inbound message once, however often it is delivered', async () => {
      const store = await make();
      await store.accounts.create(account('acc1'));
      const threadId = threadIdOf('acc1', CLIENT);
      const inbound = () =>
        store.threads.storeProviderMessage({ threadId, messageId: 'm-in-1', accountId: 'acc1', clientJid: CLIENT, direction: 'inbound', text: 'hi', status: 'delivered', waMessageId: '3EB0IN0000000000000001', createdAt: 1_000, updatedAt: 2_000 });
      expect(await appendedBy(store, inbound)).toEqual(['message.received']);
      expect(await appendedBy(store, inbound)).toEqual([]);
      await store.close();
    });

    it('logs each receipt that changes the message, the first time only, also one that fills an earlier time', async () => {
      const store = await make();
      await store.accounts.create(account('acc1'));
      const send = acceptedSend({ accountId: 'acc1' });
      await store.outbox.accept(send);
      const report = (status: 'delivered' | 'read', at: number) => () => store.statuses.advance({ accountId: 'acc1', direction: 'outbound', waMessageId: send.waMessageId, status, at });
      expect(await appendedBy(store, report('read', 30))).toEqual(['message.read']);
      expect(await appendedBy(store, report('read', 40))).toEqual([]);
      expect(await appendedBy(store, report('delivered', 20))).toEqual(['message.delivered']);
      expect(await appendedBy(store, report('delivered', 25))).toEqual([]);
      const last = (await logged(store)).at(-1)!;
      expect(last.subject).toMatchObject({ message: { status: 'read', statusRank: 4, deliveredAt: new Date(20).toISOString() } });
      await store.close();
    });

    it('logs a send ending sent or failed, and the waiting sends an account ending fails', async () => {
      const store = await make();
      const held = await heldAccount(store, 'acc1');
      const now = Date.now();
      for (const clientJid of ['40700000001@s.whatsapp.net', '40700000002@s.whatsapp.net', '40700000003@s.whatsapp.net']) await store.outbox.accept(acceptedSend({ accountId: 'acc1', clientJid, now: now - 1_000 }));
      const [first, second] = await store.outbox.claim({ owner: 'w1/a', accounts: [{ ...held, limit: 2 }], now, leaseMs: 60_000, perAccount: 2 });
      expect(await appendedBy(store, () => store.outbox.markSent(claimOf(first), now))).toEqual(['message.sent']);
      expect(await appendedBy(store, () => store.outbox.markSent(claimOf(first), now))).toEqual([]);
      expect(await appendedBy(store, () => store.outbox.markFailed(claimOf(second), failureOf('rejected', 'no'), now))).toEqual(['message.failed']);
      expect(await appendedBy(store, () => store.accountSends.failWaiting('acc1', 'accountReset', now))).toEqual(['message.failed']);
      expect(await appendedBy(store, () => store.accountSends.failWaiting('acc1', 'accountReset', now))).toEqual([]);
      await store.close();
    });

    it("logs an account's creation, each change of status or reason with a growing statusVersion, a new QR, and its deletion", async () => {
      const store = await make();
      expect(await appendedBy(store, () => store.accounts.create(account('acc1')))).toEqual(['account.created']);
      const [taken] = await store.accounts.claimUnowned('w1/a', Date.now(), 60_000, 1);
      const held = { accountId: 'acc1', owner: 'w1/a', ownerEpoch: taken.ownerEpoch };
      expect(await appendedBy(store, () => store.accounts.renew([held], Date.now() + 120_000))).toEqual([]);
      expect(await appendedBy(store, () => store.accounts.recordConnection(held, { status: 'qr', qr: 'QR-1', qrAt: 1, updatedAt: Date.now() }))).toEqual(['account.status', 'account.qr']);
      expect(await appendedBy(store, () => store.accounts.recordConnection(held, { status: 'qr', qr: 'QR-2', qrAt: 2, updatedAt: Date.now() }))).toEqual(['account.qr']);
      expect(await appendedBy(store, () => store.accounts.recordConnection(held, { status: 'qr', qr: 'QR-2', qrAt: 2, updatedAt: Date.now() }))).toEqual([]);
      expect(await appendedBy(store, () => store.accounts.recordConnection({ ...held, ownerEpoch: held.ownerEpoch - 1 }, { status: 'connected', updatedAt: Date.now() }))).toEqual([]);
      expect(await appendedBy(store, () => store.accounts.recordConnection(held, { status: 'connected', qr: null, phone: '40711111111', updatedAt: Date.now() }))).toEqual(['account.status']);
      expect(await appendedBy(store, () => store.accounts.delete('acc1', Date.now()))).toEqual(['account.deleted']);
      const events = await logged(store);
      const versions = events.filter((e) => e.type === 'account.status').map((e) => e.subject.statusVersion);
      expect(versions).toEqual([1, 2, 3]);
      expect(JSON.stringify(events)).not.toContain('QR-');
      expect(events.at(-1)!.subject).toMatchObject({ account: { accountId: 'acc1', status: 'connected' } });
      await store.close();
    });

    it("logs a pause for WhatsApp's limits as account.status (again when made longer, and at its end), numbered like any status change, the status itself unchanged", async () => {
      const store = await make();
      await store.accounts.create(account('acc1'));
      const [taken] = await store.accounts.claimUnowned('w1/a', Date.now(), 60_000, 1);
      const held = { accountId: 'acc1', owner: 'w1/a', ownerEpoch: taken.ownerEpoch };
      const until = Date.now() + 60_000;
      expect(await appendedBy(store, () => store.accounts.recordConnection(held, { pausedUntil: until, pauseReason: 'rate_overlimit', updatedAt: Date.now() }))).toEqual(['account.status']);
      expect(await appendedBy(store, () => store.accounts.recordConnection(held, { pausedUntil: until, pauseReason: 'rate_overlimit', updatedAt: Date.now() }))).toEqual([]);
      expect(await appendedBy(store, () => store.accounts.recordConnection(held, { pausedUntil: until + 60_000, pauseReason: 'rate_overlimit', updatedAt: Date.now() }))).toEqual(['account.status']);
      expect(await appendedBy(store, () => store.accounts.recordConnection(held, { pausedUntil: null, pauseReason: null, updatedAt: Date.now() }))).toEqual(['account.status']);
      expect(await appendedBy(store, () => store.accounts.recordConnection(held, { pausedUntil: null, pauseReason: null, updatedAt: Date.now() }))).toEqual([]);
      const pauses = (await logged(store)).filter((e) => e.type === 'account.status').slice(-3);
      expect(pauses.map((e) => e.subject)).toMatchObject([
        { account: { accountId: 'acc1', pausedUntil: new Date(until).toISOString(), pauseReason: 'rate_overlimit' } },
        { account: { pausedUntil: new Date(until + 60_000).toISOString() } },
        { account: { pausedUntil: null, pauseReason: null } },
      ]);
      const [first, ...later] = pauses.map((e) => e.subject.statusVersion as number);
      expect(later).toEqual([first + 1, first + 2]);
      await store.close();
    });
  });

  describe('EventLog, read', () => {
    async function storeWithEvents(accounts: string[]) {
      const store = await make();
      for (const id of accounts) {
        await store.accounts.create(account(id));
        await store.outbox.accept(acceptedSend({ accountId: id }));
      }
      return store;
    }

    it('pages oldest first from any cursor, its next cursor never null, and filters by account and type', async () => {
      const store = await storeWithEvents(['acc1', 'acc2', 'acc3']);
      const all = await store.events.read(null, {}, 50);
      expect(all.entries.map((e) => `${e.event.accountId} ${e.event.type}`)).toEqual(
        ['acc1', 'acc2', 'acc3'].flatMap((id) => [`${id} account.created`, `${id} message.accepted`]),
      );
      const firstTwo = await store.events.read(null, {}, 2);
      const rest = await store.events.read(firstTwo.next, {}, 50);
      expect([...firstTwo.entries, ...rest.entries].map((e) => e.event.eventId)).toEqual(all.entries.map((e) => e.event.eventId));
      const atEnd = await store.events.read(all.next, {}, 50);
      expect(atEnd.entries).toEqual([]);
      expect(atEnd.next).toBe(all.next);
      expect(await store.events.end()).toBe(all.next);
      const filtered = await store.events.read(null, { accountId: 'acc2', types: ['message.accepted'] }, 50);
      expect(filtered.entries.map((e) => `${e.event.accountId} ${e.event.type}`)).toEqual(['acc2 message.accepted']);
      // Past the events read that did not match too: polling with it never yields them, nor what it yielded.
      expect((await store.events.read(filtered.next, { accountId: 'acc2', types: ['message.accepted'] }, 50)).entries).toEqual([]);
      const typed = await store.events.read(null, { types: ['account.created'] }, 50);
      expect(typed.next).toBe(all.next);
      await store.close();
    });

    it('refuses a cursor it could not have returned', async () => {
      const store = await make();
      for (const cursor of ['x', '-1', '1.5', '{}', '9'.repeat(40)]) await expect(store.events.read(cursor, {}, 10), cursor).rejects.toBeInstanceOf(CursorInvalid);
      await store.close();
    });

    it('tells a reader whose cursor is older than what retention kept, and no other', async () => {
      const store = await storeWithEvents(['acc1']);
      const start = await store.events.read(null, {}, 1);
      await store.expireEvents();
      const current = await store.events.end();
      await expect(store.events.read(start.entries[0].cursor, {}, 10)).rejects.toBeInstanceOf(CursorExpired);
      expect((await store.events.read(current, {}, 10)).entries).toEqual([]);
      await store.close();
    });

    it('shows another connection every event, in the order they committed', async () => {
      const store = await make();
      const other = await store.reopen();
      await store.accounts.create(account('acc1'));
      await other.accounts.create(account('acc2'));
      await store.outbox.accept(acceptedSend({ accountId: 'acc2' }));
      for (const reader of [store, other]) expect((await logged(reader)).map((e) => `${e.accountId} ${e.type}`)).toEqual(['acc1 account.created', 'acc2 account.created', 'acc2 message.accepted']);
      await other.close();
      await store.close();
    });
  });
}
