import { describe, expect, it } from 'vitest';
import { claimOf } from '../../src/outbox/claim-rule';
import { acceptedSend, account } from '../support/sends';
import { failureOf } from '../../src/messaging/failure-reason';
import { MakeStoreFixture, StoreFixture } from './store-fixture';

const LEASE = 60_000;

async function heldAccounts(store: StoreFixture, ids: string[], owner = 'w1/a') {
  for (const id of ids) await store.accounts.create(account(id));
  const taken = await store.accounts.claimUnowned(owner, Date.now(), 3_600_000, 100);
  return taken.map((a) => ({ accountId: a.accountId, ownerEpoch: a.ownerEpoch }));
}

async function accept(store: StoreFixture, accountId: string, clientJid = '40712345678@s.whatsapp.net', text = 'x') {
  return (await store.outbox.accept(acceptedSend({ accountId, clientJid, text, now: Date.now() - 1000 }))).item;
}

export function outboxClaimsContract(make: MakeStoreFixture): void {
  describe('OutboxRepository claims and completions', () => {
    it("claims only for the account's current owner and epoch", async () => {
      const store = await make();
      const [held] = await heldAccounts(store, ['acc1']);
      await accept(store, 'acc1');
      const now = Date.now();
      expect(await store.outbox.claim({ owner: 'w1/a', accounts: [{ ...held, ownerEpoch: held.ownerEpoch - 1 }], now, leaseMs: LEASE, perAccount: 10 })).toEqual([]);
      expect(await store.outbox.claim({ owner: 'w2/b', accounts: [held], now, leaseMs: LEASE, perAccount: 10 })).toEqual([]);
      const [claimed] = await store.outbox.claim({ owner: 'w1/a', accounts: [held], now, leaseMs: LEASE, perAccount: 10 });
      expect(claimed).toMatchObject({ status: 'processing', claimedBy: 'w1/a', claimEpoch: held.ownerEpoch, attempts: 1, leaseUntil: now + LEASE });
      await store.close();
    });

    it("releases a thread's items one at a time, in accepted order", async () => {
      const store = await make();
      const held = await heldAccounts(store, ['acc1']);
      const items = [await accept(store, 'acc1', undefined, 'm1'), await accept(store, 'acc1', undefined, 'm2'), await accept(store, 'acc1', undefined, 'm3')];
      const other = await accept(store, 'acc1', '40799999999@s.whatsapp.net', 'other thread');
      const claimRound = () => store.outbox.claim({ owner: 'w1/a', accounts: held, now: Date.now(), leaseMs: LEASE, perAccount: 10 });
      const first = await claimRound();
      expect(first.map((i) => i.id).sort()).toEqual([items[0].id, other.id].sort());
      expect(await claimRound()).toEqual([]);
      await store.outbox.markSent(claimOf(first.find((i) => i.id === items[0].id)!), Date.now());
      expect((await claimRound()).map((i) => i.text)).toEqual(['m2']);
      await store.close();
    });

    it('waits for the next attempt time, and reclaims an item whose claimant died, with the same WhatsApp id', async () => {
      const store = await make();
      const held = await heldAccounts(store, ['acc1']);
      const item = await accept(store, 'acc1');
      const t0 = Date.now();
      const [first] = await store.outbox.claim({ owner: 'w1/a', accounts: held, now: t0, leaseMs: LEASE, perAccount: 10 });
      expect(await store.outbox.claim({ owner: 'w1/a', accounts: held, now: t0 + LEASE - 1, leaseMs: LEASE, perAccount: 10 })).toEqual([]);
      const [again] = await store.outbox.claim({ owner: 'w1/a', accounts: held, now: t0 + LEASE, leaseMs: LEASE, perAccount: 10 });
      expect(again).toMatchObject({ id: item.id, attempts: 2, waMessageId: first.waMessageId });
      expect(await store.outbox.release(claimOf(first), 'late', t0, t0)).toBe(false);
      expect(await store.outbox.release(claimOf(again), 'timeout', t0 + LEASE + 5_000, t0 + LEASE)).toBe(true);
      expect(await store.outbox.claim({ owner: 'w1/a', accounts: held, now: t0 + LEASE + 4_999, leaseMs: LEASE, perAccount: 10 })).toEqual([]);
      expect(await store.outbox.claim({ owner: 'w1/a', accounts: held, now: t0 + LEASE + 5_000, leaseMs: LEASE, perAccount: 10 })).toHaveLength(1);
      expect(await store.outbox.get('acc1', item.requestId)).toMatchObject({ attempts: 3, lastError: 'timeout' });
      await store.close();
    });

    it('gives each item to one of several racing claimers', async () => {
      const store = await make();
      const other = await store.reopen();
      const held = await heldAccounts(store, ['acc1', 'acc2']);
      for (let i = 0; i < 20; i++) await accept(store, i % 2 ? 'acc1' : 'acc2', `4070000${String(i).padStart(4, '0')}@s.whatsapp.net`);
      const now = Date.now();
      const rounds = await Promise.all(
        Array.from({ length: 10 }, (_, i) => (i % 2 ? store : other).outbox.claim({ owner: 'w1/a', accounts: held, now, leaseMs: LEASE, perAccount: 3 })),
      );
      const ids = rounds.flat().map((item) => item.id);
      expect(ids).toHaveLength(20);
      expect(new Set(ids).size).toBe(20);
      await other.close();
      await store.close();
    });

    it('takes at most perAccount items from each account, so a busy account cannot starve the others', async () => {
      const store = await make();
      const held = await heldAccounts(store, ['busy', 'quiet']);
      for (let i = 0; i < 30; i++) await accept(store, 'busy', `4071000${String(i).padStart(4, '0')}@s.whatsapp.net`);
      await accept(store, 'quiet');
      const claimed = await store.outbox.claim({ owner: 'w1/a', accounts: held, now: Date.now(), leaseMs: LEASE, perAccount: 5 });
      expect(claimed.filter((i) => i.accountId === 'busy')).toHaveLength(5);
      expect(claimed.filter((i) => i.accountId === 'quiet')).toHaveLength(1);
      await store.close();
    });

    it("takes no more of an account's items than its limit (its room under the in-flight cap)", async () => {
      const store = await make();
      const held = await heldAccounts(store, ['acc1', 'acc2']);
      for (let i = 0; i < 4; i++) await accept(store, 'acc1', `4071100${String(i).padStart(4, '0')}@s.whatsapp.net`);
      for (let i = 0; i < 4; i++) await accept(store, 'acc2', `4071200${String(i).padStart(4, '0')}@s.whatsapp.net`);
      const accounts = held.map((h) => (h.accountId === 'acc1' ? { ...h, limit: 1 } : h));
      const claimed = await store.outbox.claim({ owner: 'w1/a', accounts, now: Date.now(), leaseMs: LEASE, perAccount: 3 });
      expect(claimed.filter((i) => i.accountId === 'acc1')).toHaveLength(1);
      expect(claimed.filter((i) => i.accountId === 'acc2')).toHaveLength(3);
      await store.close();
    });

    it('gives an unused claim back to the queue as it was, the attempt not counted, only while it is still ours', async () => {
      const store = await make();
      const held = await heldAccounts(store, ['acc1']);
      const item = await accept(store, 'acc1');
      const t0 = Date.now();
      const [stale] = await store.outbox.claim({ owner: 'w1/a', accounts: held, now: t0, leaseMs: LEASE, perAccount: 1 });
      const [current] = await store.outbox.claim({ owner: 'w1/a', accounts: held, now: t0 + LEASE, leaseMs: LEASE, perAccount: 1 });
      expect(await store.outbox.releaseUnsent(claimOf(stale), t0 + LEASE)).toBe(false);
      expect(await store.outbox.releaseUnsent(claimOf(current), t0 + LEASE)).toBe(true);
      expect(await store.outbox.get('acc1', item.requestId)).toMatchObject({ status: 'queued', attempts: 1, claimedBy: null, leaseUntil: null, nextAttemptAt: item.nextAttemptAt });
      expect(await store.outbox.claim({ owner: 'w1/a', accounts: held, now: t0 + LEASE, leaseMs: LEASE, perAccount: 1 })).toMatchObject([{ id: item.id, attempts: 2 }]);
      await store.close();
    });

    it('ends the open item sent when a receipt proves WhatsApp has the message, and then refuses to fail or retry it', async () => {
      const store = await make();
      const held = await heldAccounts(store, ['acc1', 'acc2']);
      const items = [await accept(store, 'acc1', '40700000001@s.whatsapp.net'), await accept(store, 'acc1', '40700000002@s.whatsapp.net')];
      const [claimed] = await store.outbox.claim({ owner: 'w1/a', accounts: held.filter((h) => h.accountId === 'acc1'), now: Date.now(), leaseMs: LEASE, perAccount: 1 });
      const queued = items.find((item) => item.id !== claimed.id)!;
      const receipt = (waMessageId: string, status: 'sent' | 'delivered') => store.statuses.advance({ accountId: 'acc1', direction: 'outbound', waMessageId, status, at: 500 });
      // The receipt's status write lands first; the processor's late ack failure comes before the item is ended.
      expect(await receipt(claimed.waMessageId, 'delivered')).toBe('advanced');
      expect(await store.outbox.release(claimOf(claimed), 'no server ack', Date.now() + 1000, Date.now())).toBe(false);
      expect(await store.outbox.markFailed(claimOf(claimed), failureOf('maxAttempts', 'gave up'), Date.now())).toBe(false);
      expect(await store.outbox.markSentBySending('acc2', claimed.waMessageId, 600)).toBe(false);
      expect(await store.outbox.markSentBySending('acc1', claimed.waMessageId, 600)).toBe(true);
      expect(await store.outbox.markSentBySending('acc1', claimed.waMessageId, 700)).toBe(false);
      expect(await store.outbox.get('acc1', claimed.requestId)).toMatchObject({ status: 'sent', endedAt: 600, failureReason: null });
      expect(await store.threads.getMessage(claimed.threadId, claimed.messageId)).toMatchObject({ status: 'delivered', sentAt: 600, deliveredAt: 500 });
      // A queued item (released earlier, not claimed now) ends too, whoever would claim it next.
      expect(await receipt(queued.waMessageId, 'sent')).toBe('advanced');
      expect(await store.outbox.markSentBySending('acc1', queued.waMessageId, 800)).toBe(true);
      expect(await store.outbox.get('acc1', queued.requestId)).toMatchObject({ status: 'sent' });
      expect(await store.threads.getMessage(queued.threadId, queued.messageId)).toMatchObject({ status: 'sent', sentAt: 500 });
      await store.close();
    });

    it('records a late ack as sent even after another claim, and the second completion changes nothing', async () => {
      const store = await make();
      const held = await heldAccounts(store, ['acc1']);
      const item = await accept(store, 'acc1');
      const t0 = Date.now();
      const [slow] = await store.outbox.claim({ owner: 'w1/a', accounts: held, now: t0, leaseMs: LEASE, perAccount: 1 });
      const [fresh] = await store.outbox.claim({ owner: 'w1/a', accounts: held, now: t0 + LEASE, leaseMs: LEASE, perAccount: 1 });
      expect(await store.outbox.markSent(claimOf(slow), t0 + LEASE + 1)).toBe(true);
      expect(await store.outbox.markSent(claimOf(fresh), t0 + LEASE + 2)).toBe(false);
      expect(await store.outbox.markFailed(claimOf(fresh), failureOf('rejected', 'too late'), t0 + LEASE + 3)).toBe(false);
      expect(await store.threads.getMessage(item.threadId, item.messageId)).toMatchObject({ status: 'sent', sentAt: t0 + LEASE + 1 });
      expect(await store.outbox.get('acc1', item.requestId)).toMatchObject({ status: 'sent', endedAt: t0 + LEASE + 1 });
      await store.close();
    });

    it('fails an item and its message together, with the reason', async () => {
      const store = await make();
      const held = await heldAccounts(store, ['acc1']);
      const item = await accept(store, 'acc1');
      const [claimed] = await store.outbox.claim({ owner: 'w1/a', accounts: held, now: Date.now(), leaseMs: LEASE, perAccount: 1 });
      expect(await store.outbox.markFailed(claimOf(claimed), failureOf('rejected', 'recipient not on WhatsApp'), 123)).toBe(true);
      expect(await store.threads.getMessage(item.threadId, item.messageId)).toMatchObject({ status: 'failed', failedAt: 123, error: 'recipient not on WhatsApp', failureReason: 'rejected' });
      expect(await store.outbox.get('acc1', item.requestId)).toMatchObject({ status: 'failed', lastError: 'recipient not on WhatsApp', failureReason: 'rejected', endedAt: 123 });
      await store.close();
    });

    it("fails every waiting item of one account (logout), leaving sent ones and other accounts' alone", async () => {
      const store = await make();
      const held = await heldAccounts(store, ['acc1', 'acc2']);
      const sent = await accept(store, 'acc1', '40700000001@s.whatsapp.net');
      const [claimed] = await store.outbox.claim({ owner: 'w1/a', accounts: [held.find((h) => h.accountId === 'acc1')!], now: Date.now(), leaseMs: LEASE, perAccount: 1 });
      await store.outbox.markSent(claimOf(claimed), Date.now());
      const waiting = [await accept(store, 'acc1', '40700000002@s.whatsapp.net'), await accept(store, 'acc1', '40700000003@s.whatsapp.net')];
      const otherAccount = await accept(store, 'acc2');
      expect(await store.accountSends.failWaiting('acc1', 'loggedOut', 999)).toBe(2);
      for (const item of waiting) {
        expect(await store.outbox.get('acc1', item.requestId)).toMatchObject({ status: 'failed', failureReason: 'loggedOut' });
        expect(await store.threads.getMessage(item.threadId, item.messageId)).toMatchObject({ status: 'failed', failureReason: 'loggedOut' });
      }
      expect(await store.outbox.get('acc1', sent.requestId)).toMatchObject({ status: 'sent' });
      expect(await store.outbox.get('acc2', otherAccount.requestId)).toMatchObject({ status: 'queued' });
      await store.close();
    });

    it('fails nothing under a fence that is no longer the holding (a stale holder), and says so with null', async () => {
      const store = await make();
      const [held] = await heldAccounts(store, ['acc1']);
      const waiting = await accept(store, 'acc1');
      const holding = { ...held, owner: 'w1/a' };
      expect(await store.accountSends.failWaiting('acc1', 'loggedOut', 999, { ...holding, ownerEpoch: held.ownerEpoch - 1 })).toBeNull();
      expect(await store.accountSends.failWaiting('acc1', 'loggedOut', 999, { ...holding, owner: 'w2/b' })).toBeNull();
      expect(await store.outbox.get('acc1', waiting.requestId)).toMatchObject({ status: 'queued', failureReason: null });
      expect(await store.accountSends.failWaiting('acc1', 'loggedOut', 999, holding)).toBe(1);
      await store.close();
    });

    it('ends a waiting item whose message a receipt already acknowledged as sent, never failed, when the account ends', async () => {
      const store = await make();
      const held = await heldAccounts(store, ['acc1']);
      const acknowledged = await accept(store, 'acc1', '40700000001@s.whatsapp.net');
      const waiting = await accept(store, 'acc1', '40700000002@s.whatsapp.net');
      await store.outbox.claim({ owner: 'w1/a', accounts: held, now: Date.now(), leaseMs: LEASE, perAccount: 2 });
      // The receipt moved the message; the logout lands before the item's own end does.
      const waMessageId = (await store.outbox.get('acc1', acknowledged.requestId))!.waMessageId;
      expect(await store.statuses.advance({ accountId: 'acc1', direction: 'outbound', waMessageId, status: 'delivered', at: 500 })).toBe('advanced');
      expect(await store.accountSends.failWaiting('acc1', 'loggedOut', 999)).toBe(1);
      expect(await store.outbox.get('acc1', acknowledged.requestId)).toMatchObject({ status: 'sent', failureReason: null, endedAt: 999 });
      expect(await store.threads.getMessage(acknowledged.threadId, acknowledged.messageId)).toMatchObject({ status: 'delivered' });
      expect(await store.outbox.get('acc1', waiting.requestId)).toMatchObject({ status: 'failed', failureReason: 'loggedOut' });
      expect(await store.threads.getMessage(waiting.threadId, waiting.messageId)).toMatchObject({ status: 'failed', failureReason: 'loggedOut' });
      await store.close();
    });

    it("returns a shutting-down owner's claims to the queue without counting the attempt", async () => {
      const store = await make();
      const held = await heldAccounts(store, ['acc1']);
      const item = await accept(store, 'acc1');
      await store.outbox.claim({ owner: 'w1/a', accounts: held, now: Date.now(), leaseMs: LEASE, perAccount: 1 });
      expect(await store.outbox.releaseAll('w1/a', Date.now())).toBe(1);
      expect(await store.outbox.get('acc1', item.requestId)).toMatchObject({ status: 'queued', attempts: 0, claimedBy: null });
      await store.close();
    });
  });
}
