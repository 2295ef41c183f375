import { Timestamp } from 'firebase-admin/firestore';
import { describe, expect, it } from 'vitest';
import { InvalidInput } from '../../src/common/errors';
import { describeOnFirestoreEmulator, firestoreFixtures } from '../support/firestore-emulator';
import { acceptedSend, account } from '../support/sends';

// What the shared contract cannot see: the documents apps read, and the emulator's own guarantees.
describeOnFirestoreEmulator('firestore adapters, documents and emulator', (host) => {
  const makeStore = firestoreFixtures(host);

  describe.concurrent('the emulator, as the contract relies on it', () => {
    it('ends 20 concurrent increment transactions at 20', async () => {
      const { db } = await makeStore();
      const counter = db.doc('counters/c');
      await counter.set({ n: 0 });
      await Promise.all(Array.from({ length: 20 }, () => db.runTransaction(async (tx) => tx.update(counter, { n: (await tx.get(counter)).get('n') + 1 }))));
      expect((await counter.get()).get('n')).toBe(20);
    });

    it('gives 10 racing claim transactions one winner', async () => {
      const { db } = await makeStore();
      const item = db.doc('claims/item');
      await item.set({ claimedBy: null });
      const claims = Array.from({ length: 10 }, (_, i) =>
        db.runTransaction(async (tx) => {
          if ((await tx.get(item)).get('claimedBy') !== null) return false;
          tx.update(item, { claimedBy: `worker${i}` });
          return true;
        }),
      );
      expect((await Promise.all(claims)).filter(Boolean)).toHaveLength(1);
    });

    it('refuses a write whose lastUpdateTime precondition is stale', async () => {
      const { db } = await makeStore();
      const doc = db.doc('leases/l');
      const seen = await doc.set({ owner: 'a' });
      await doc.update({ owner: 'b' });
      await expect(doc.update({ owner: 'c' }, { lastUpdateTime: seen.writeTime })).rejects.toMatchObject({ code: 9 });
      expect((await doc.get()).get('owner')).toBe('b');
    });

    it('answers a collection-group query across parents', async () => {
      const { db } = await makeStore();
      await db.doc('threads/a__1@lid/messages/m1').set({ accountId: 'a' });
      await db.doc('threads/a__2@lid/messages/m2').set({ accountId: 'a' });
      await db.doc('threads/b__1@lid/messages/m3').set({ accountId: 'b' });
      const found = await db.collectionGroup('messages').where('accountId', '==', 'a').get();
      expect(found.docs.map((d) => d.id).sort()).toEqual(['m1', 'm2']);
    });
  });

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
        accountId: 'acc1', clientJid, lastMessageAt: at, lastMessageText: 'hi', lastMessageDirection: 'outbound', nextSeq: 2, createdAt: at, updatedAt: at,
      });
      expect((await store.db.doc(messageRef).get()).data()).toEqual({
        threadId, accountId: 'acc1', clientJid, direction: 'outbound', text: 'hi', status: 'queued', statusRank: 0, waMessageId,
        requestId, seq: 1, createdAt: at, updatedAt: at,
      });
      expect((await store.db.doc(`messageLookup/acc1__outbound__${waMessageId}`).get()).data()).toEqual({
        accountId: 'acc1', direction: 'outbound', waMessageId, threadId, messageId, messageRef,
      });
      const item = (await store.db.doc(`outbox/acc1__${requestId}`).get()).data()!;
      expect(item).toMatchObject({ accountId: 'acc1', status: 'queued', messageRef, attempts: 0, leaseUntil: null, nextAttemptAt: at, createdAt: at });
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
      const leftovers = await Promise.all(['messageLookup', 'outbox', 'threads'].map((c) => store.db.collection(c).count().get()));
      expect(leftovers.map((c) => c.data().count)).toEqual([1, 1, 1]);
      expect((await store.db.collectionGroup('messages').count().get()).data().count).toBe(1);
      await store.close();
    });

    it('numbers sends from two connections on one thread without a gap or a repeat', async () => {
      const store = await makeStore();
      const other = await store.reopen();
      await store.accounts.create(account('acc1'));
      const sends = Array.from({ length: 6 }, () => acceptedSend({ accountId: 'acc1' }));
      const outcomes = await Promise.all(sends.map((send, i) => (i % 2 ? other : store).outbox.accept(send)));
      expect(outcomes.map((o) => o.item.seq).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
      await other.close();
      await store.close();
    });

    it('keeps a thread first made by an inbound message, and never moves its summary back in time', async () => {
      const store = await makeStore();
      await store.accounts.create(account('acc1'));
      const send = acceptedSend({ accountId: 'acc1', text: 'older reply' });
      const later = Timestamp.fromMillis(send.now + 60_000);
      const { accountId, clientJid } = send;
      await store.db.doc(`threads/${send.threadId}`).set({
        accountId, clientJid, lastMessageAt: later, lastMessageText: 'inbound', lastMessageDirection: 'inbound', createdAt: later, updatedAt: later,
      });
      expect((await store.outbox.accept(send)).item.seq).toBe(1);
      expect(await store.threads.getThread(send.threadId)).toMatchObject({ lastMessageText: 'inbound', lastMessageAt: later.toMillis() });
      expect((await store.db.doc(`threads/${send.threadId}`).get()).get('nextSeq')).toBe(2);
      await store.close();
    });
  });

  describe('reads', () => {
    it('round-trips every account time through a Timestamp', async () => {
      const store = await makeStore();
      const record = { ...account('acc1', 'Desk'), owner: 'w1/abc', ownerEpoch: 3, leaseUntil: 1_800_000_000_123, connectedAt: 1_700_000_000_001 };
      await store.accounts.create(record);
      expect(await store.accounts.get('acc1')).toEqual(record);
      expect((await store.db.doc('accounts/acc1').get()).get('leaseUntil')).toEqual(Timestamp.fromMillis(1_800_000_000_123));
      await store.close();
    });

    it('returns status times and optional fields a later writer set on a message', async () => {
      const store = await makeStore();
      await store.accounts.create(account('acc1'));
      const send = acceptedSend({ accountId: 'acc1' });
      await store.outbox.accept(send);
      const path = `threads/${send.threadId}/messages/${send.messageId}`;
      await store.db.doc(path).update({ status: 'delivered', statusRank: 3, sentAt: Timestamp.fromMillis(5), deliveredAt: Timestamp.fromMillis(7) });
      expect(await store.threads.getMessage(send.threadId, send.messageId)).toMatchObject({ status: 'delivered', sentAt: 5, deliveredAt: 7 });
      await store.close();
    });

    it('refuses a cursor whose time no Timestamp can hold as bad input', async () => {
      const store = await makeStore();
      await expect(store.threads.listThreads('acc1', { limit: 5, after: { key: 'not-a-time', id: 'x' } })).rejects.toBeInstanceOf(InvalidInput);
      await expect(store.threads.listMessages('acc1__1@lid', { limit: 5, after: { key: 1e20, id: 'x' } })).rejects.toBeInstanceOf(InvalidInput);
      await store.close();
    });
  });
});
