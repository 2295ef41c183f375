import { describe, expect, it } from 'vitest';
import { describeOnFirestoreEmulator, firestoreFixtures } from '../support/firestore-emulator';
import { accountKeysContract } from './account-keys.contract';
import { instancesContract } from './instances.contract';
import { mediaDownloadsContract } from './media-downloads.contract';
import { accountLeasesContract } from './account-leases.contract';
import { accountLifecycleContract } from './account-lifecycle.contract';
import { accountsContract } from './accounts.contract';
import { contactAliasesContract } from './contact-aliases.contract';
import { eventLogContract } from './event-log.contract';
import { messageStatusesContract } from './message-statuses.contract';
import { outboxAcceptContract } from './outbox-accept.contract';
import { outboxClaimsContract } from './outbox-claims.contract';
import { outboxOperatorContract } from './outbox-operator.contract';
import { scrapeCountsContract } from './scrape-counts.contract';
import { sessionsContract } from './sessions.contract';
import { threadsContract } from './threads.contract';
import { webhookEndpointsContract } from './webhook-endpoints.contract';
import { webhookDeliveriesContract } from './webhook-deliveries.contract';

// The same contract suite as sqlite.spec.ts, races included, against Google's Firestore emulator.
describeOnFirestoreEmulator('firestore adapters', (host) => {
  const makeFirestore = firestoreFixtures(host);
  accountsContract(makeFirestore);
  accountLeasesContract(makeFirestore);
  accountLifecycleContract(makeFirestore);
  sessionsContract(makeFirestore);
  outboxAcceptContract(makeFirestore);
  outboxClaimsContract(makeFirestore);
  threadsContract(makeFirestore);
  contactAliasesContract(makeFirestore);
  messageStatusesContract(makeFirestore);
  scrapeCountsContract(makeFirestore);
  webhookEndpointsContract(makeFirestore);
  eventLogContract(makeFirestore);
  webhookDeliveriesContract(makeFirestore);
  accountKeysContract(makeFirestore);
  instancesContract(makeFirestore);
  mediaDownloadsContract(makeFirestore);
  outboxOperatorContract(makeFirestore);

  // What the adapters rely on the emulator for (and what an emulator stand-in got wrong): checked once.
  describe.concurrent('the emulator, as the contract relies on it', () => {
    it('ends 20 concurrent increment transactions at 20', async () => {
      const { db } = await makeFirestore();
      const counter = db.doc('counters/c');
      await counter.set({ n: 0 });
      // The emulator locks pessimistically: with 20 on one document, a loaded machine (CI) sees some
      // attempts end ABORTED (lock timeout), which the client retries; 5 attempts, the default, ran out once.
      const increment = () => db.runTransaction(async (tx) => tx.update(counter, { n: (await tx.get(counter)).get('n') + 1 }), { maxAttempts: 20 });
      await Promise.all(Array.from({ length: 20 }, increment));
      expect((await counter.get()).get('n')).toBe(20);
    });

    it('gives 10 racing claim transactions one winner', async () => {
      const { db } = await makeFirestore();
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
      expect((await item.get()).get('claimedBy')).toMatch(/^worker\d$/);
    });

    it('refuses a write whose lastUpdateTime precondition is stale', async () => {
      const { db } = await makeFirestore();
      const doc = db.doc('leases/l');
      const seen = await doc.set({ owner: 'a' });
      await doc.update({ owner: 'b' });
      await expect(doc.update({ owner: 'c' }, { lastUpdateTime: seen.writeTime })).rejects.toMatchObject({ code: 9 });
      expect((await doc.get()).get('owner')).toBe('b');
    });

    it('answers a collection-group query across parents', async () => {
      const { db } = await makeFirestore();
      await db.doc('threads/a__1@lid/messages/m1').set({ accountId: 'a' });
      await db.doc('threads/a__2@lid/messages/m2').set({ accountId: 'a' });
      await db.doc('threads/b__1@lid/messages/m3').set({ accountId: 'b' });
      const found = await db.collectionGroup('messages').where('accountId', '==', 'a').get();
      expect(found.docs.map((d) => d.id).sort()).toEqual(['m1', 'm2']);
    });
  });
});
