import { readFileSync, readdirSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { StoreConnections } from '../../src/store/store.module';
import { describeOnFirestoreEmulator, findFirestoreEmulator, firestoreFixtures } from '../support/firestore-emulator';
import { IndexFile, missingIndex } from '../medium/firestore/support/index-coverage';
import { indexNeedOf } from '../medium/firestore/support/index-need';
import { recordQueries } from '../medium/firestore/support/query-recorder';
import { accountKeysContract } from './account-keys.contract';
import { accountLeasesContract } from './account-leases.contract';
import { accountLifecycleContract } from './account-lifecycle.contract';
import { accountsContract } from './accounts.contract';
import { contactAliasesContract } from './contact-aliases.contract';
import { eventLogContract } from './event-log.contract';
import { instancesContract } from './instances.contract';
import { mediaDownloadsContract } from './media-downloads.contract';
import { messageStatusesContract } from './message-statuses.contract';
import { outboxAcceptContract } from './outbox-accept.contract';
import { outboxClaimsContract } from './outbox-claims.contract';
import { outboxOperatorContract } from './outbox-operator.contract';
import { scrapeCountsContract } from './scrape-counts.contract';
import { sessionsContract } from './sessions.contract';
import { threadsContract } from './threads.contract';
import { webhookDeliveriesContract } from './webhook-deliveries.contract';
import { webhookEndpointsContract } from './webhook-endpoints.contract';
// What the shared contract cannot see (documents, bookkeeping): run here too, its queries recorded alike.
import './firestore-adapters.suite';

/**
 * The emulator answers any query, indexed or not; production refuses one that lacks its index. So every
 * query the adapters issue while the contract suite runs is recorded, and each must be served by what
 * firestore.indexes.json declares (the rules: test/medium/firestore/support/index-need.ts).
 */
const CONTRACTS = {
  accountKeysContract,
  accountLeasesContract,
  accountLifecycleContract,
  accountsContract,
  contactAliasesContract,
  eventLogContract,
  instancesContract,
  mediaDownloadsContract,
  messageStatusesContract,
  outboxAcceptContract,
  outboxClaimsContract,
  outboxOperatorContract,
  scrapeCountsContract,
  sessionsContract,
  threadsContract,
  webhookDeliveriesContract,
  webhookEndpointsContract,
};
const recording = recordQueries();
afterAll(() => recording.stop());

// The same contract suite as sqlite.spec.ts, races included, against Google's Firestore emulator.
describeOnFirestoreEmulator('firestore adapters', (host) => {
  const makeFirestore = firestoreFixtures(host);
  for (const contract of Object.values(CONTRACTS)) contract(makeFirestore);

  it('also runs the query the contract does not reach (readiness)', async () => {
    const store = await makeFirestore();
    await new StoreConnections(undefined, { db: store.db } as ConstructorParameters<typeof StoreConnections>[1]).ping();
    await store.close();
  });

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

describe.skipIf(!findFirestoreEmulator().found)('firestore.indexes.json against the recorded queries', () => {
  it('runs every contract file in test/contract', () => {
    // The blob store's contract makes no Firestore query: it runs on the Storage emulator (blob-store-gcs.spec.ts).
    const files = readdirSync('test/contract').filter((file) => file.endsWith('.contract.ts') && file !== 'blob-store.contract.ts');
    const expected = files.map((file) => `${file.replace('.contract.ts', '').replace(/-(\w)/g, (_, c: string) => c.toUpperCase())}Contract`);
    expect(Object.keys(CONTRACTS).sort()).toEqual(expected.sort());
  });

  it('declares an index for every query the adapters issued', () => {
    const file = JSON.parse(readFileSync('firestore.indexes.json', 'utf8')) as IndexFile;
    const distinct = new Map<string, { issuer: string; missing?: string }>();
    for (const { shape, issuer } of recording.queries) {
      const key = JSON.stringify(shape);
      if (!distinct.has(key)) distinct.set(key, { issuer, missing: missingIndex(indexNeedOf(shape), file) });
    }
    expect(distinct.size).toBeGreaterThan(10);
    console.log(`[indexes] ${recording.queries.length} queries recorded, ${distinct.size} distinct shapes, each checked against firestore.indexes.json`);
    const missing = [...distinct].filter(([, q]) => q.missing).map(([shape, q]) => `${q.issuer}: ${shape}\n  needs ${q.missing}`);
    expect(missing, missing.join('\n')).toEqual([]);
  });
});
