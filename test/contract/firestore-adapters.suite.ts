import { Timestamp } from 'firebase-admin/firestore';
import { describe, expect, it } from 'vitest';
import { MAX_CURSOR_TIME_MS, MIN_CURSOR_TIME_MS, decodeCursor, encodeCursor } from '../../src/common/page';
import { MessageRecord } from '../../src/messaging/message';
import { claimOf } from '../../src/outbox/claim-rule';
import { FirestoreFixture, describeOnFirestoreEmulator, firestoreFixtures } from '../support/firestore-emulator';
import { failureOf } from '../../src/messaging/failure-reason';
import { acceptedSend, account } from '../support/sends';

const THREAD_OF = (accountId: string) => `${accountId}__40712345678@s.whatsapp.net`;

async function heldStore(make: () => Promise<FirestoreFixture>, ...accountIds: string[]) {
  const store = await make();
  for (const id of accountIds) await store.accounts.create(account(id));
  const held = (await store.accounts.claimUnowned('w1/a', Date.now(), 3_600_000, 100)).map((a) => ({ accountId: a.accountId, ownerEpoch: a.ownerEpoch }));
  const claim = (perAccount = 10, now = Date.now()) => store.outbox.claim({ owner: 'w1/a', accounts: held, now, leaseMs: 60_000, perAccount });
  return { store, held, claim };
}

function inbound(accountId: string, waMessageId: string, createdAt: number, text = 'hi'): MessageRecord {
  const threadId = THREAD_OF(accountId);
  return { threadId, messageId: `in-${waMessageId}`, accountId, clientJid: threadId.split('__')[1], direction: 'inbound', text, status: 'delivered', waMessageId, createdAt, updatedAt: createdAt };
}

// What the shared contract cannot see: the documents apps read, and the server-side bookkeeping.
describeOnFirestoreEmulator('firestore adapters, documents and bookkeeping', (host) => {
  const makeStore = firestoreFixtures(host);

  describe('documents written by accept', () => {
    it('lays out message, lookup, thread and outbox docs as the public layout says, times as Timestamps', async () => {
      const store = await makeStore();
      await store.accounts.create(account('acc1'));
      const send = acceptedSend({ accountId: 'acc1', text: 'hi' });
      await store.outbox.accept(send);
      const at = Timestamp.fromMillis(send.now);
      const messageRef = `threads/${send.threadId}/messages/${send.messageId}`;
      const { requestId, threadId, clientJid, messageId, waMessageId } = send;
      expect((await store.db.doc(`threads/${threadId}`).get()).data()).toEqual({
        accountId: 'acc1', clientJid, lastMessageAt: at, lastMessageText: 'hi', lastMessageDirection: 'outbound', nextSeq: 2, outboxHeadSeq: 1, createdAt: at, updatedAt: at,
      });
      expect((await store.db.doc(messageRef).get()).data()).toEqual({
        threadId, accountId: 'acc1', clientJid, direction: 'outbound', text: 'hi', status: 'queued', statusRank: 0, waMessageId, requestId, seq: 1, createdAt: at, updatedAt: at,
      });
      expect((await store.db.doc(`messageLookup/acc1__outbound__${waMessageId}`).get()).data()).toEqual({ accountId: 'acc1', direction: 'outbound', waMessageId, threadId, messageId, messageRef });
      const item = (await store.db.doc(`outbox/acc1__${requestId}`).get()).data()!;
      expect(item).toMatchObject({ accountId: 'acc1', status: 'queued', messageRef, attempts: 0, leaseUntil: null, nextAttemptAt: at, createdAt: at, threadHead: true });
      expect(item.answer).toEqual({ requestId, messageId, threadId, waMessageId, status: 'queued' });
      await store.close();
    });

    it('writes nothing at all for an existing key or an unknown account', async () => {
      const store = await makeStore();
      await store.accounts.create(account('acc1'));
      const send = acceptedSend({ accountId: 'acc1' });
      await store.outbox.accept(send);
      const before = await store.db.doc(`threads/${send.threadId}`).get();
      expect((await store.outbox.accept({ ...send, messageId: 'retry', waMessageId: 'RETRY' })).kind).toBe('existing');
      expect((await store.db.doc(`threads/${send.threadId}`).get()).updateTime).toEqual(before.updateTime);
      await expect(store.outbox.accept(acceptedSend({ accountId: 'ghost', waMessageId: 'GHOST' }))).rejects.toThrow('ghost');
      const counts = await Promise.all(['messageLookup', 'outbox', 'threads'].map((c) => store.db.collection(c).count().get()));
      expect(counts.map((c) => c.data().count)).toEqual([1, 1, 1]);
      expect((await store.db.collectionGroup('messages').count().get()).data().count).toBe(1);
      await store.close();
    });

    it('numbers sends from two connections on one thread without a gap or a repeat', async () => {
      const store = await makeStore();
      const other = await store.reopen();
      await store.accounts.create(account('acc1'));
      const outcomes = await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 ? other : store).outbox.accept(acceptedSend({ accountId: 'acc1' }))));
      expect(outcomes.map((o) => o.item.seq).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
      await other.close();
      await store.close();
    });
  });

  describe("the thread's turn (its first open item, the only one a claim takes)", () => {
    it('passes to the next item when the first is sent, and frees the thread when all ended', async () => {
      const { store, claim } = await heldStore(makeStore, 'acc1');
      const items = [];
      for (let i = 0; i < 3; i++) items.push((await store.outbox.accept(acceptedSend({ accountId: 'acc1', now: Date.now() - 1000 }))).item);
      const head = () => store.db.doc(`threads/${THREAD_OF('acc1')}`).get().then((t) => t.get('outboxHeadSeq'));
      await store.outbox.markSent(claimOf((await claim())[0]), Date.now());
      expect(await head()).toBe(2);
      expect((await store.db.doc(`outbox/${items[1].id}`).get()).get('threadHead')).toBe(true);
      expect(await store.accountSends.failWaiting('acc1', 'loggedOut', Date.now())).toBe(2);
      expect(await head()).toBeNull();
      const next = (await store.outbox.accept(acceptedSend({ accountId: 'acc1', now: Date.now() - 1000 }))).item;
      expect([next.seq, await head()]).toEqual([4, 4]);
      expect((await claim()).map((i) => i.id)).toEqual([next.id]);
      await store.close();
    });

    it("lets other threads go while a thread's first item waits out its backoff", async () => {
      const { store, claim } = await heldStore(makeStore, 'acc1');
      for (let i = 0; i < 3; i++) await store.outbox.accept(acceptedSend({ accountId: 'acc1', now: Date.now() - 1000 }));
      const [first] = await claim(1);
      await store.outbox.release(claimOf(first), 'timeout', Date.now() + 600_000, Date.now());
      const elsewhere = (await store.outbox.accept(acceptedSend({ accountId: 'acc1', clientJid: '40799999999@s.whatsapp.net', now: Date.now() - 1000 }))).item;
      expect((await claim(1)).map((i) => i.id)).toEqual([elsewhere.id]);
      await store.close();
    });

    it('passes on when WhatsApp rejects the first item', async () => {
      const { store, claim } = await heldStore(makeStore, 'acc1');
      const first = (await store.outbox.accept(acceptedSend({ accountId: 'acc1', now: Date.now() - 1000 }))).item;
      const second = (await store.outbox.accept(acceptedSend({ accountId: 'acc1', now: Date.now() - 1000 }))).item;
      await claim(1);
      expect(await store.outbox.failBySending('acc1', first.waMessageId, failureOf('rejected', '463'), Date.now())).toBe(true);
      expect(await store.outbox.failBySending('acc1', first.waMessageId, failureOf('rejected', '463'), Date.now())).toBe(false);
      expect((await claim(1)).map((i) => i.id)).toEqual([second.id]);
      await store.close();
    });
  });

  describe('inbound messages and receipts', () => {
    it('stores an inbound message once, and a replayed older one never becomes the thread summary', async () => {
      const store = await makeStore();
      expect(await store.threads.storeProviderMessage(inbound('acc1', 'WA1', 2_000, 'newer'))).toBe('stored');
      expect(await store.threads.storeProviderMessage(inbound('acc1', 'WA1', 2_000, 'newer'))).toBe('duplicate');
      expect(await store.threads.storeProviderMessage(inbound('acc1', 'WA0', 1_000, 'older'))).toBe('stored');
      expect(await store.threads.getThread(THREAD_OF('acc1'))).toMatchObject({ lastMessageText: 'newer', lastMessageAt: 2_000, lastMessageDirection: 'inbound' });
      expect((await store.db.doc('messageLookup/acc1__inbound__WA1').get()).get('messageRef')).toBe(`threads/${THREAD_OF('acc1')}/messages/in-WA1`);
      expect((await store.db.doc(`threads/${THREAD_OF('acc1')}/messages/in-WA1`).get()).get('createdAt')).toEqual(Timestamp.fromMillis(2_000));
      await store.accounts.create(account('acc1'));
      expect((await store.outbox.accept(acceptedSend({ accountId: 'acc1' }))).item.seq).toBe(1);
      expect((await store.db.doc(`threads/${THREAD_OF('acc1')}`).get()).get('outboxHeadSeq')).toBe(1);
      await store.close();
    });

    it('finds a message by account, direction and WhatsApp id, never by the id alone', async () => {
      const store = await makeStore();
      await store.threads.storeProviderMessage(inbound('acc1', 'SAME', 1_000, 'in acc1'));
      await store.threads.storeProviderMessage(inbound('acc2', 'SAME', 1_000, 'in acc2'));
      expect(await store.threads.findByWaMessageId('acc1', 'inbound', 'SAME')).toMatchObject({ text: 'in acc1', messageId: 'in-SAME' });
      expect(await store.threads.findByWaMessageId('acc2', 'inbound', 'SAME')).toMatchObject({ text: 'in acc2' });
      expect(await store.threads.findByWaMessageId('acc1', 'outbound', 'SAME')).toBeUndefined();
      await store.close();
    });

    it('moves a status forward only, keeping the first time each status was reached', async () => {
      const store = await makeStore();
      await store.accounts.create(account('acc1'));
      const send = acceptedSend({ accountId: 'acc1' });
      await store.outbox.accept(send);
      const report = (status: 'sent' | 'delivered' | 'read' | 'failed', at: number) => store.statuses.advance({ accountId: 'acc1', direction: 'outbound', waMessageId: send.waMessageId, status, at });
      expect(await report('delivered', 20)).toBe('advanced');
      expect(await report('failed', 25)).toBe('unchanged');
      expect(await report('sent', 10)).toBe('unchanged');
      expect(await report('delivered', 30)).toBe('unchanged');
      expect(await store.threads.getMessage(send.threadId, send.messageId)).toMatchObject({ status: 'delivered', sentAt: 10, deliveredAt: 20 });
      expect((await store.db.doc(`threads/${send.threadId}/messages/${send.messageId}`).get()).get('statusRank')).toBe(3);
      expect(await store.statuses.advance({ accountId: 'acc2', direction: 'outbound', waMessageId: send.waMessageId, status: 'read', at: 1 })).toBe('unknown');
      await store.close();
    });
  });

  describe('sessions under the account', () => {
    it('keeps keys Firestore cannot take as ids, and a write larger than one commit, whole', async () => {
      const { store, held } = await heldStore(makeStore, 'acc1');
      const holding = { ...held[0], owner: 'w1/a' };
      const odd = ['app-state-sync-key-AB/c+d=', '.', '..', '__name__', 'a%2Fb'];
      const many = Array.from({ length: 1_000 }, (_, i) => `pre-key-${i}`);
      await store.sessions.write(holding, new Map([...odd, ...many].map((key) => [key, JSON.stringify(key)])));
      const stored = await store.sessions.read('acc1', [...odd, ...many]);
      expect(stored.size).toBe(1_005);
      for (const key of odd) expect(stored.get(key)).toBe(JSON.stringify(key));
      expect(await store.accounts.delete('acc1', Date.now())).toBe(true);
      expect((await store.db.collection('accounts/acc1/session').count().get()).data().count).toBe(0);
      await store.close();
    });
  });

  describe('reads', () => {
    it('round-trips every account time through a Timestamp', async () => {
      const store = await makeStore();
      const record = { ...account('acc1', 'Desk'), owner: 'w1/abc', ownerEpoch: 3, leaseUntil: 1_800_000_000_123, qr: '2@abc', qrAt: 1_700_000_000_001, resetRequestedAt: 5 };
      await store.accounts.create(record);
      expect(await store.accounts.get('acc1')).toEqual(record);
      expect((await store.db.doc('accounts/acc1').get()).get('leaseUntil')).toEqual(Timestamp.fromMillis(1_800_000_000_123));
      await store.close();
    });

    it('pages after any cursor the HTTP edge lets through, its extreme times and longest ids included', async () => {
      // decodeCursor (src/common/page.ts) refuses every other cursor with a 400 before a store sees it.
      const store = await makeStore();
      const longestThread = `${'a'.repeat(63)}___${'9'.repeat(20)}@s.whatsapp.net`;
      for (const key of [MIN_CURSOR_TIME_MS, 0, MAX_CURSOR_TIME_MS]) {
        expect(decodeCursor(encodeCursor({ key, id: longestThread }), { key: 'time', isId: () => true })).toEqual({ key, id: longestThread });
        await expect(store.threads.listThreads('a'.repeat(63) + '_', { limit: 5, after: { key, id: longestThread } })).resolves.toEqual({ items: [], nextCursor: null });
        await expect(store.threads.listMessages(longestThread, { limit: 5, after: { key, id: 'm'.repeat(64) } })).resolves.toEqual({ items: [], nextCursor: null });
      }
      await expect(store.accounts.list({ limit: 5, after: { key: 0, id: 'z'.repeat(64) } })).resolves.toEqual({ items: [], nextCursor: null });
      await store.close();
    });
  });
});
