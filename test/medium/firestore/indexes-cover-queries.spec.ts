import { mediaDownloadsContract } from '../../contract/media-downloads.contract';
import { instancesContract } from '../../contract/instances.contract';
import { readFileSync, readdirSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { StoreConnections } from '../../../src/store/store.module';
import { accountKeysContract } from '../../contract/account-keys.contract';
import { accountLeasesContract } from '../../contract/account-leases.contract';
import { accountLifecycleContract } from '../../contract/account-lifecycle.contract';
import { accountsContract } from '../../contract/accounts.contract';
import { contactAliasesContract } from '../../contract/contact-aliases.contract';
import { eventLogContract } from '../../contract/event-log.contract';
import { messageStatusesContract } from '../../contract/message-statuses.contract';
import { outboxAcceptContract } from '../../contract/outbox-accept.contract';
import { outboxClaimsContract } from '../../contract/outbox-claims.contract';
import { outboxOperatorContract } from '../../contract/outbox-operator.contract';
import { scrapeCountsContract } from '../../contract/scrape-counts.contract';
import { sessionsContract } from '../../contract/sessions.contract';
import { threadsContract } from '../../contract/threads.contract';
import { webhookEndpointsContract } from '../../contract/webhook-endpoints.contract';
import { webhookDeliveriesContract } from '../../contract/webhook-deliveries.contract';
import { describeOnFirestoreEmulator, findFirestoreEmulator, firestoreFixtures } from '../../support/firestore-emulator';
import { IndexFile, missingIndex } from './support/index-coverage';
import { indexNeedOf } from './support/index-need';
import { recordQueries } from './support/query-recorder';
// The adapter-only suite (bookkeeping, receipts, aliases, failBySending) runs here too, recorded alike.
import '../../contract/firestore-adapters.spec';

/**
 * The emulator answers any query, indexed or not; production refuses one that lacks its index. So every
 * query the adapters issue while the contract suite runs is recorded, and each must be served by what
 * firestore.indexes.json declares (the rules: support/index-need.ts).
 */
const CONTRACTS = {
  accountsContract,
  accountLeasesContract,
  accountLifecycleContract,
  sessionsContract,
  outboxAcceptContract,
  outboxClaimsContract,
  threadsContract,
  contactAliasesContract,
  messageStatusesContract,
  scrapeCountsContract,
  webhookEndpointsContract,
  eventLogContract,
  webhookDeliveriesContract,
  accountKeysContract,
  instancesContract,
  mediaDownloadsContract,
  outboxOperatorContract,
};
const recording = recordQueries();
afterAll(() => recording.stop());

describeOnFirestoreEmulator('the contract suite, its queries recorded', (host) => {
  const makeFirestore = firestoreFixtures(host);
  for (const contract of Object.values(CONTRACTS)) contract(makeFirestore);

  it('also runs the query the contract does not reach (readiness)', async () => {
    const store = await makeFirestore();
    await new StoreConnections(undefined, { db: store.db } as ConstructorParameters<typeof StoreConnections>[1]).ping();
    await store.close();
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
