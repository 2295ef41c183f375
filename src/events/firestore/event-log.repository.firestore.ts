import { Injectable, Optional } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { FieldPath, Query, QueryDocumentSnapshot, Timestamp } from 'firebase-admin/firestore';
import { Clock } from '../../common/clock';
import { FirestoreStore } from '../../store/firestore/firestore-store';
import { toTimestamp } from '../../store/firestore/firestore-time';
import { LoggedEvent } from '../event';
import { CursorExpired, EventFilter, EventLog, LogEntry, LogRead } from '../event-log.repository';
import { decodeCursor, encodeCursor, LogPosition, positionOf, timestampOf } from './event-cursor.firestore';
import { EventDoc, EVENTS, toLoggedEvent } from './event-docs.firestore';

/**
 * How far behind now the log is read. The order is `committedAt`, the commit's server time, and a
 * transaction's commit time is fixed before it is visible: a reader could see an event committed at T+1
 * while one at T is still landing, and a cursor past T+1 would skip it for ever. Reading only what
 * committed at least this long ago, against this process's clock (which may be a little off the
 * server's), makes a cursor exact: nothing missed, nothing read twice, no re-read window to dedupe.
 * The price is that a stream hears an event about a second late.
 */
export const EVENT_SETTLE_MS = 1_000;
// EVENT_SETTLE_MS in the environment sets it: the Firestore emulator under load has shown commits passing
// the horizon before they could be read.
/** How far a commit time may trail the writer's clock (the commit itself, and clock skew between machines). */
const COMMIT_SKEW_MS = 60_000;

/** The event log on Firestore; appended by the change writers (event-docs.firestore.ts), deleted by TTL. */
@Injectable()
export class FirestoreEventLog extends EventLog {
  private readonly settleMs: number;

  constructor(
    private readonly store: FirestoreStore,
    private readonly clock: Clock,
    @Optional() config?: AppConfig,
  ) {
    super();
    this.settleMs = config?.eventSettleMs ?? EVENT_SETTLE_MS;
  }

  async read(cursor: string | null, filter: EventFilter, limit: number): Promise<LogRead> {
    const after = cursor === null ? null : decodeCursor(cursor);
    // TTL removes events once they are older than the retention, so past it some after the cursor may be gone.
    if (after && after.micros / 1_000 < this.clock.now() - this.store.eventRetentionMs) throw new CursorExpired(cursor!);
    // One horizon for the page and the end it may answer: an event between two would be skipped.
    const horizon = this.horizon();
    let query = this.settled(horizon).limit(limit);
    if (filter.accountId !== undefined) query = query.where('accountId', '==', filter.accountId);
    const docs = (await startingAfter(query, after).get()).docs;
    const types = filter.types?.length ? new Set(filter.types) : null;
    const entries: LogEntry[] = docs
      .map((doc) => ({ cursor: encodeCursor(positionOfDoc(doc)), event: toLoggedEvent(doc.id, doc.data() as EventDoc) }))
      .filter((entry) => types === null || types.has(entry.event.type));
    // Resume after the last event read, never further: a second query for the log's end could see an event
    // this page did not (committed before the horizon, visible only since), and a cursor past it would skip
    // it for ever. Seen in the emulator under load: events lost to a stream and the webhook dispatcher.
    if (docs.length > 0) return { entries, next: encodeCursor(positionOfDoc(docs[docs.length - 1])) };
    if (after) return { entries, next: cursor! };
    return { entries, next: encodeCursor(await this.endPosition(horizon)) };
  }

  async end(): Promise<string> {
    return encodeCursor(await this.endPosition(this.horizon()));
  }

  /**
   * Commit times trail the writer's `occurredAt` by the commit's own time: starting a minute before
   * `time` meets every event that occurred at it or later (the caller filters on `occurredAt`).
   */
  async startAt(time: number): Promise<string> {
    // Never before what the log keeps: a cursor there reads as expired.
    const keptFrom = this.clock.now() - this.store.eventRetentionMs + 1;
    return encodeCursor(positionOf(toTimestamp(Math.max(0, keptFrom, time - COMMIT_SKEW_MS)), ''));
  }

  async byIds(eventIds: readonly string[]): Promise<LoggedEvent[]> {
    if (eventIds.length === 0) return [];
    const docs = await this.store.db.getAll(...eventIds.map((eventId) => this.store.db.collection(EVENTS).doc(eventId)));
    return docs
      .filter((doc) => doc.exists)
      .map((doc) => ({ position: positionOfDoc(doc as QueryDocumentSnapshot), event: toLoggedEvent(doc.id, doc.data() as EventDoc) }))
      .sort((a, b) => compare(a.position, b.position))
      .map(({ event }) => event);
  }

  /** TTL on `expireAt` deletes events on Firestore (firestore.indexes.json). */
  async purgeBefore(): Promise<number> {
    return 0;
  }

  /** The last settled event, or the settle horizon itself when none is kept. */
  private async endPosition(horizon: Timestamp): Promise<LogPosition> {
    const events = this.store.db.collection(EVENTS).where('committedAt', '<=', horizon);
    const [last] = (await events.orderBy('committedAt', 'desc').orderBy(FieldPath.documentId(), 'desc').limit(1).get()).docs;
    return last ? positionOfDoc(last) : positionOf(horizon, '');
  }

  private settled(horizon: Timestamp): Query {
    return this.store.db.collection(EVENTS).where('committedAt', '<=', horizon).orderBy('committedAt').orderBy(FieldPath.documentId());
  }

  private horizon(): Timestamp {
    return toTimestamp(this.clock.now() - this.settleMs);
  }
}

function startingAfter(query: Query, after: LogPosition | null): Query {
  if (after === null) return query;
  return after.eventId === '' ? query.startAt(timestampOf(after)) : query.startAfter(timestampOf(after), after.eventId);
}

function positionOfDoc(doc: QueryDocumentSnapshot): LogPosition {
  return positionOf((doc.data() as EventDoc).committedAt, doc.id);
}

function compare(a: LogPosition, b: LogPosition): number {
  return a.micros - b.micros || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0);
}
