import { Injectable } from '@nestjs/common';
import { SqliteStore } from '../../store/sqlite/sqlite-store';
import { CursorExpired, CursorInvalid, EventFilter, EventLog, LogRead } from '../event-log.repository';
import { LoggedEvent } from '../event';
import { EventRow, toLoggedEvent } from './event-rows.sqlite';

/** A cursor is the log's `seq`: commit order, since sqlite has one writer at a time. */
const CURSOR = /^[0-9]{1,15}$/;

@Injectable()
export class SqliteEventLog extends EventLog {
  constructor(private readonly store: SqliteStore) {
    super();
  }

  async read(cursor: string | null, filter: EventFilter, limit: number): Promise<LogRead> {
    if (cursor !== null && !CURSOR.test(cursor)) throw new CursorInvalid(cursor);
    const after = cursor === null ? 0 : Number(cursor);
    // One snapshot: the end read with the rows cannot pass an event committed between the two.
    return this.store.db.transaction(() => {
      if (cursor !== null && this.purgedPast(after)) throw new CursorExpired(cursor);
      const types = Object.fromEntries((filter.types ?? []).map((type, i) => [`t${i}`, type]));
      const rows = this.store.statement(this.sql(filter)).all({ after, accountId: filter.accountId, limit, ...types }) as EventRow[];
      const last = rows.length === limit ? rows[rows.length - 1].seq : this.endSeq();
      return { entries: rows.map((row) => ({ cursor: String(row.seq), event: toLoggedEvent(row) })), next: String(Math.max(after, last)) };
    })();
  }

  async end(): Promise<string> {
    return String(this.endSeq());
  }

  /** `occurred_at` is each writer's clock, so the log is in time order only nearly: the first seq at `time`, less one. */
  async startAt(time: number): Promise<string> {
    const first = this.store.statement('SELECT MIN(seq) AS seq FROM events WHERE occurred_at >= ?').get(time) as { seq: number | null };
    return String(first.seq === null ? this.endSeq() : first.seq - 1);
  }

  async byIds(eventIds: readonly string[]): Promise<LoggedEvent[]> {
    const byId = this.store.statement('SELECT * FROM events WHERE event_id = ?');
    return eventIds
      .map((eventId) => byId.get(eventId) as EventRow | undefined)
      .filter((row): row is EventRow => row !== undefined)
      .sort((a, b) => a.seq - b.seq)
      .map(toLoggedEvent);
  }

  async purgeBefore(before: number, limit: number): Promise<number> {
    return this.store.writes.run(() => {
      const purged = this.store
        .statement('DELETE FROM events WHERE seq IN (SELECT seq FROM events WHERE occurred_at < ? ORDER BY seq LIMIT ?) RETURNING seq')
        .all(before, limit) as Array<{ seq: number }>;
      const highest = purged.reduce((max, row) => Math.max(max, row.seq), 0);
      if (highest > 0) this.store.statement(`INSERT INTO event_log_state (id, purged_through) VALUES (1, @highest) ON CONFLICT (id) DO UPDATE SET purged_through = MAX(purged_through, @highest)`).run({ highest });
      return purged.length;
    });
  }

  /** Retention purged events past the cursor, so some it never read are gone (an account's purge leaves holes too, which lose a reader nothing). */
  private purgedPast(after: number): boolean {
    const state = this.store.statement('SELECT purged_through FROM event_log_state WHERE id = 1').get() as { purged_through: number } | undefined;
    return state !== undefined && state.purged_through > after;
  }

  private endSeq(): number {
    return (this.store.statement("SELECT seq FROM sqlite_sequence WHERE name = 'events'").get() as { seq: number } | undefined)?.seq ?? 0;
  }

  private sql(filter: EventFilter): string {
    const account = filter.accountId === undefined ? '' : 'AND account_id = @accountId';
    const types = filter.types?.length ? `AND type IN (${filter.types.map((_, i) => `@t${i}`).join(', ')})` : '';
    return `SELECT * FROM events WHERE seq > @after ${account} ${types} ORDER BY seq LIMIT @limit`;
  }
}
