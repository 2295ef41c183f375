import { foldLegacyAccounts } from './account-fold';
import { ChangeWriter } from './change-writer';
import { LegacyStore } from './legacy-store';
import { MigrationReport } from './migration-report';
import { OutboxMigration } from './outbox-migration';
import { Progress, silentProgress } from './progress';
import { PlannedCopies } from './thread-copy';
import { ThreadMigration } from './thread-migration';

export interface MigrationOptions {
  dryRun: boolean;
  progress?: Progress;
}

/**
 * The thread-id migration, from the old layout (threads named by the bare remote JID, outbox items by
 * the request id alone, a second `wa_accounts` collection) to the one in CONTRACT.md. Phases in order:
 * accounts, threads (messages, lookups, summaries), outbox (it needs the message copies). Each phase is
 * idempotent and deletes an old doc only after its copy read back equal, so the whole may be
 * interrupted anywhere and run again. `report` is filled as it goes, so the caller has the counts of
 * an interrupted run too.
 */
export async function migrateThreadIds(store: LegacyStore, report: MigrationReport, options: MigrationOptions): Promise<MigrationReport> {
  const progress = options.progress ?? silentProgress;
  const writer = new ChangeWriter(store, report, options.dryRun);
  const planned: PlannedCopies | undefined = options.dryRun ? new Map() : undefined;
  try {
    await foldLegacyAccounts(store, writer, report, progress);
    await new ThreadMigration({ store, writer, report, planned }).run(progress);
    await new OutboxMigration(store, writer, report, planned).run(progress);
  } finally {
    report.finish();
  }
  return report;
}
