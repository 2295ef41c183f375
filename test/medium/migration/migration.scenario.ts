import { expect, it } from 'vitest';
import { LegacyStore } from '../../../src/migration/legacy-store';
import { MigrationReport } from '../../../src/migration/migration-report';
import { migrateThreadIds } from '../../../src/migration/thread-id-migration';
import {
  expectAccountsFolded,
  expectEveryMessageOnceInItsAccountsThread,
  expectNoMessageLost,
  expectNoOldLayout,
  expectOutboxMoved,
  expectStatusesAndSeqs,
} from './support/expect-migrated';
import { InjectedFailure, failingAfter } from './support/failing-store';
import { MakeMigrationFixture, MigrationFixture } from './support/migration-fixtures';
import { LIVE } from './support/new-layout';

/** One run, on its own connection, as one `npm run migrate:thread-ids` would be. */
async function run(fixture: MigrationFixture, dryRun: boolean, wrap: (store: LegacyStore) => LegacyStore = (store) => store): Promise<MigrationReport> {
  const store = fixture.openLegacyStore();
  const report = new MigrationReport(store.kind, dryRun);
  try {
    await migrateThreadIds(wrap(store), report, { dryRun });
  } finally {
    await store.close();
  }
  return report;
}

async function expectFullyMigrated(fixture: MigrationFixture): Promise<void> {
  await expectNoOldLayout(fixture);
  await expectEveryMessageOnceInItsAccountsThread(fixture);
  await expectStatusesAndSeqs(fixture);
  await expectOutboxMoved(fixture);
  await expectAccountsFolded(fixture);
}

/**
 * The thread-id migration on a fixture holding both layouts (migration/support/old-layout.ts and
 * new-layout.ts). `interruptions`: after how many written docs, as fractions of a full run, to fail
 * an apply before running it again to the end.
 */
export function migrationScenario(make: MakeMigrationFixture, interruptions: number[]): void {
  it('a dry run writes nothing and reports what an apply would do', async () => {
    const fixture = await make();
    const before = await fixture.dump();
    const report = await run(fixture, true);
    expect(await fixture.dump()).toEqual(before);
    expect(report.counts).toMatchObject({
      legacyAccounts: 3,
      accountsCreated: 1,
      accountsFilled: 1,
      accountsAlreadyCurrent: 1,
      legacyAccountsRemoved: 3,
      oldThreads: 4,
      oldMessages: 35,
      messagesCopied: 34,
      duplicatesDropped: 1,
      statusesMarkedUncertain: 15,
      threadsWritten: 6,
      oldMessagesRemoved: 35,
      oldThreadsRemoved: 4,
      oldOutboxItems: 4,
      outboxItemsMoved: 4,
      outboxItemsReleased: 1,
      oldOutboxItemsRemoved: 4,
    });
    expect(report.leftInPlace).toEqual([]);
    expect(report.docsWritten).toBeGreaterThan(100);
  });

  for (const fraction of interruptions) {
    it(`an apply failing after ${Math.round(fraction * 100)}% of its writes, run again, ends with every message once in its own account's thread`, async () => {
      const fixture = await make();
      const total = (await run(fixture, true)).docsWritten;
      const untouchedBefore = (await fixture.dump()).filter((line) => LIVE.untouchedMark.test(line));

      await expect(run(fixture, false, (store) => failingAfter(store, Math.floor(total * fraction)))).rejects.toThrow(InjectedFailure);
      await expectNoMessageLost(fixture);

      const resumed = await run(fixture, false);
      expect(resumed.leftInPlace).toEqual([]);
      await expectFullyMigrated(fixture);
      expect((await fixture.dump()).filter((line) => LIVE.untouchedMark.test(line))).toEqual(untouchedBefore);
    });
  }

  it('a second full run finds nothing to do and changes nothing', async () => {
    const fixture = await make();
    const first = await run(fixture, false);
    expect(first.counts).toMatchObject({ messagesCopied: 34, outboxItemsMoved: 4, accountsCreated: 1 });
    const after = await fixture.dump();
    const second = await run(fixture, false);
    expect(second.changedNothing).toBe(true);
    expect(second.counts).toMatchObject({ oldThreads: 0, oldOutboxItems: 0, legacyAccounts: 0 });
    expect(await fixture.dump()).toEqual(after);
    await expectFullyMigrated(fixture);
  });

  it('hands the new outbox processor the released item first and keeps the one queued behind it waiting its turn', async () => {
    const fixture = await make();
    await run(fixture, false);
    const { accounts, outbox } = fixture.app;
    const owner = 'worker-new/1';
    const held = (await accounts.claimUnowned(owner, Date.now(), 3_600_000, 10)).map((a) => ({ accountId: a.accountId, ownerEpoch: a.ownerEpoch }));
    const claim = () => outbox.claim({ owner, accounts: held, now: Date.now(), leaseMs: 60_000, perAccount: 10 });
    const first = (await claim()).map((item) => item.id).sort();
    expect(first).toEqual(['acc1__req-live', 'acc1__req-new', 'acc1__req-processing', 'acc2__req-queued']);
    const released = (await outbox.get('acc1', 'req-processing'))!;
    await outbox.markSent({ id: released.id, claimedBy: owner, attempts: released.attempts }, Date.now());
    expect((await claim()).map((item) => item.id)).toEqual(['acc1__req-queued-2']);
  });
}
