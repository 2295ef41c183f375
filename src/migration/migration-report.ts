/** What one run found and did (or, in a dry run, would do). Every count is of documents or rows. */
export const COUNT_NAMES = [
  'legacyAccounts',
  'accountsCreated',
  'accountsFilled',
  'accountsAlreadyCurrent',
  'legacyAccountsRemoved',
  'oldThreads',
  'oldMessages',
  'messagesCopied',
  'messagesAlreadyCopied',
  'duplicatesDropped',
  'statusesMarkedUncertain',
  'threadsWritten',
  'oldMessagesRemoved',
  'oldThreadsRemoved',
  'oldOutboxItems',
  'outboxItemsMoved',
  'outboxItemsAlreadyMoved',
  'outboxItemsReleased',
  'threadTurnsSettled',
  'oldOutboxItemsRemoved',
] as const;
export type CountName = (typeof COUNT_NAMES)[number];

/** An old doc the migration did not move, and why: it stays where it is, and every run reports it again. */
export interface LeftInPlace {
  path: string;
  reason: string;
}

export class MigrationReport {
  readonly counts = Object.fromEntries(COUNT_NAMES.map((name) => [name, 0])) as Record<CountName, number>;
  readonly leftInPlace: LeftInPlace[] = [];
  /** Documents (rows) written or deleted; a dry run counts those it would write. */
  docsWritten = 0;
  private readonly startedAt = Date.now();
  elapsedMs = 0;

  constructor(
    readonly storeKind: string,
    readonly dryRun: boolean,
  ) {}

  count(name: CountName, by = 1): void {
    this.counts[name] += by;
  }

  leave(path: string, reason: string): void {
    this.leftInPlace.push({ path, reason });
  }

  finish(): this {
    this.elapsedMs = Date.now() - this.startedAt;
    return this;
  }

  /** Nothing was (or would be) written: the store is fully migrated. */
  get changedNothing(): boolean {
    return this.docsWritten === 0;
  }

  lines(): string[] {
    const c = this.counts;
    const verb = this.dryRun ? 'would ' : '';
    const seconds = this.elapsedMs / 1000;
    const rate = seconds > 0 && this.docsWritten > 0 && !this.dryRun ? ` (${Math.round(this.docsWritten / seconds)} docs/s)` : '';
    return [
      `thread-id migration on ${this.storeKind}${this.dryRun ? ' (dry run: nothing written)' : ''}`,
      `  wa_accounts: ${c.legacyAccounts} found; ${verb}create ${c.accountsCreated} accounts, ${verb}fill name/phone of ${c.accountsFilled}, ${c.accountsAlreadyCurrent} already newer; ${verb}remove ${c.legacyAccountsRemoved}`,
      `  old threads: ${c.oldThreads} found with ${c.oldMessages} messages; ${verb}copy ${c.messagesCopied} (${c.messagesAlreadyCopied} copied by an earlier run, ${c.duplicatesDropped} duplicates of a stored message)`,
      `               ${verb}mark ${c.statusesMarkedUncertain} statuses uncertain; ${verb}write ${c.threadsWritten} thread summaries; ${verb}remove ${c.oldMessagesRemoved} old messages and ${c.oldThreadsRemoved} old threads`,
      `  old outbox:  ${c.oldOutboxItems} found; ${verb}move ${c.outboxItemsMoved} (${c.outboxItemsReleased} released from processing, ${c.outboxItemsAlreadyMoved} moved by an earlier run); ${c.threadTurnsSettled} thread turns settled; ${verb}remove ${c.oldOutboxItemsRemoved}`,
      `  ${this.dryRun ? 'would write' : 'wrote'} ${this.docsWritten} docs in ${seconds.toFixed(2)} s${rate}`,
      ...(this.leftInPlace.length > 0 ? [`  left in place (${this.leftInPlace.length}):`, ...this.leftInPlace.map((left) => `    ${left.path}: ${left.reason}`)] : []),
    ];
  }
}
