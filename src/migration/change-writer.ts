import { LayoutChange, LegacyStore, MAX_CHANGES_PER_WRITE } from './legacy-store';
import { MigrationReport } from './migration-report';

/**
 * The one way the phases write: in groups the store can commit atomically, counted in the report. In a
 * dry run it only counts, so the dry run walks the very same code path as the real one.
 */
export class ChangeWriter {
  constructor(
    private readonly store: LegacyStore,
    private readonly report: MigrationReport,
    readonly dryRun: boolean,
  ) {}

  async write(changes: LayoutChange[]): Promise<void> {
    for (let start = 0; start < changes.length; start += MAX_CHANGES_PER_WRITE) {
      const group = changes.slice(start, start + MAX_CHANGES_PER_WRITE);
      if (!this.dryRun) await this.store.write(group);
      this.report.docsWritten += group.reduce((docs, change) => docs + docsOf(change), 0);
    }
  }

  /** A dry run cannot know whether the turn would change: it reports only what a real run settled. */
  async settleThreadTurn(threadId: string): Promise<void> {
    if (this.dryRun) return;
    const written = await this.store.settleThreadTurn(threadId);
    if (written > 0) this.report.count('threadTurnsSettled');
    this.report.docsWritten += written;
  }
}

/** A message copy is two documents: the message and its lookup entry. */
export function docsOf(change: LayoutChange): number {
  return change.kind === 'copyMessage' ? 2 : 1;
}
