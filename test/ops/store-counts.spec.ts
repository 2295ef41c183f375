import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteContactAliasRepository } from '../../src/messaging/contact-alias.repository.sqlite';
import { SqliteAccountPurges } from '../../src/accounts/account-purges.sqlite';
import { SqliteAccountRepository } from '../../src/accounts/account.repository.sqlite';
import { SqliteSessionRepository } from '../../src/accounts/session.repository.sqlite';
import { SqliteThreadRepository } from '../../src/messaging/thread.repository.sqlite';
import { StoreCounts } from '../../src/metrics/store-counts';
import { FirestoreStoreCounts } from '../../src/metrics/store-counts.firestore';
import { SqliteStoreCounts } from '../../src/metrics/store-counts.sqlite';
import { claimOf } from '../../src/outbox/claim-rule';
import { SqliteOutboxRepository } from '../../src/outbox/outbox.repository.sqlite';
import { SqliteMessageStatusRepository } from '../../src/receipts/message-status.repository.sqlite';
import { FirestoreStore } from '../../src/store/firestore/firestore-store';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';
import { StoreFixture } from '../contract/store-fixture';
import { describeOnFirestoreEmulator, firestoreFixtures } from '../support/firestore-emulator';
import { acceptedSend, account } from '../support/sends';
import { SqliteAccountSends } from '../../src/outbox/account-sends.sqlite';

type Make = () => Promise<{ store: StoreFixture; counts: StoreCounts }>;

/** The scrape-time counts agree on both adapters: the open queue by status, every account status. */
function storeCountsContract(make: Make): void {
  it('counts open outbox items by status (ended ones are not counted) and accounts by status, zeros included', async () => {
    const { store, counts } = await make();
    for (const id of ['c1', 'c2', 'c3']) await store.accounts.create(account(id));
    const held = await store.accounts.claimUnowned('w1/a', Date.now(), 3_600_000, 2);
    const c1 = held.find((a) => a.accountId === 'c1')!;
    const c2 = held.find((a) => a.accountId === 'c2')!;
    await store.accounts.recordConnection({ accountId: 'c1', owner: 'w1/a', ownerEpoch: c1.ownerEpoch }, { status: 'connected', updatedAt: Date.now() });
    await store.accounts.recordConnection({ accountId: 'c2', owner: 'w1/a', ownerEpoch: c2.ownerEpoch }, { status: 'qr', updatedAt: Date.now() });
    for (const jid of ['40711000001', '40711000002', '40711000003']) await store.outbox.accept(acceptedSend({ accountId: 'c1', clientJid: `${jid}@s.whatsapp.net`, now: Date.now() - 1000 }));
    await store.outbox.accept(acceptedSend({ accountId: 'c2', now: Date.now() - 1000 }));
    await store.outbox.claim({ owner: 'w1/a', accounts: [{ accountId: 'c1', ownerEpoch: c1.ownerEpoch }], now: Date.now(), leaseMs: 60_000, perAccount: 1 });
    const [sent] = await store.outbox.claim({ owner: 'w1/a', accounts: [{ accountId: 'c2', ownerEpoch: c2.ownerEpoch }], now: Date.now(), leaseMs: 60_000, perAccount: 1 });
    await store.outbox.markSent(claimOf(sent), Date.now());

    expect(await counts.openOutboxItems()).toEqual({ queued: 2, processing: 1 });
    expect(await counts.accountsByStatus()).toEqual({ connecting: 0, qr: 1, connected: 1, disconnected: 1, logged_out: 0 });
  });
}

const dir = mkdtempSync(join(tmpdir(), 'wa-counts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('StoreCounts on sqlite', () => {
  let n = 0;
  storeCountsContract(async () => {
    const sqlite = SqliteStore.open(join(dir, `counts-${++n}.db`));
    const store: StoreFixture = {
      accounts: new SqliteAccountRepository(sqlite, new SqliteAccountSends(sqlite)),
      purges: new SqliteAccountPurges(sqlite, new SqliteAccountSends(sqlite)),
      aliases: new SqliteContactAliasRepository(sqlite),
      sessions: new SqliteSessionRepository(sqlite),
      threads: new SqliteThreadRepository(sqlite),
      outbox: new SqliteOutboxRepository(sqlite),
      accountSends: new SqliteAccountSends(sqlite),
      statuses: new SqliteMessageStatusRepository(sqlite),
      reopen: () => Promise.reject(new Error('not needed here')),
      close: async () => sqlite.close(),
    };
    return { store, counts: new SqliteStoreCounts(sqlite) };
  });
});

describeOnFirestoreEmulator('StoreCounts on firestore', (host) => {
  const makeFirestore = firestoreFixtures(host);
  storeCountsContract(async () => {
    const store = await makeFirestore();
    // The counts read only the client: the fixture's own connection, as FirestoreStore would hand it out.
    return { store, counts: new FirestoreStoreCounts({ db: store.db } as FirestoreStore) };
  });
});
