import { StoreQueueFull } from '../../common/errors';
import { SqliteConnection } from './sqlite-database';

interface PendingWrite {
  write: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

export type WriteOutcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** Bounds one transaction, so one batch never holds the write lock (and its thread) for long. */
export const MAX_BATCH = 256;

/**
 * Runs `writes` in one IMMEDIATE transaction with one commit (one fsync), each under its own savepoint,
 * so one that throws is rolled back alone and the others still commit. IMMEDIATE, because a deferred
 * transaction that upgrades to a write can fail with SQLITE_BUSY_SNAPSHOT, which the busy timeout does
 * not retry. Throws (having rolled back everything) only when the transaction itself cannot begin or commit.
 */
export function commitTogether(db: SqliteConnection, writes: Array<() => unknown>): WriteOutcome[] {
  const outcomes: WriteOutcome[] = [];
  db.exec('BEGIN IMMEDIATE');
  try {
    for (const write of writes) {
      db.exec('SAVEPOINT write');
      try {
        outcomes.push({ ok: true, value: write() });
        db.exec('RELEASE write');
      } catch (error) {
        db.exec('ROLLBACK TO write');
        db.exec('RELEASE write');
        outcomes.push({ ok: false, error });
      }
    }
    db.exec('COMMIT');
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
  }
  return outcomes;
}

/**
 * Group commit: writes that arrive together share one transaction and one fsync (`commitTogether`), and
 * each is answered only after that commit. At most `limit` writes wait; one more is refused unrun.
 */
export class GroupCommit {
  private queue: PendingWrite[] = [];
  private scheduled = false;

  constructor(
    private readonly db: SqliteConnection,
    private readonly limit: number,
  ) {}

  run<T>(write: () => T): Promise<T> {
    if (this.queue.length >= this.limit) return Promise.reject(new StoreQueueFull(this.limit));
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ write, resolve: resolve as (value: unknown) => void, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // setImmediate runs after the I/O phase, so every request parsed in this turn joins the batch.
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.queue.splice(0, MAX_BATCH);
    if (this.queue.length > 0) this.schedule();
    let outcomes: WriteOutcome[];
    try {
      outcomes = commitTogether(
        this.db,
        batch.map((pending) => pending.write),
      );
    } catch (error) {
      for (const pending of batch) pending.reject(error);
      return;
    }
    batch.forEach((pending, i) => {
      const outcome = outcomes[i];
      if (outcome.ok) pending.resolve(outcome.value);
      else pending.reject(outcome.error);
    });
  }
}
