import { EventType, LoggedEvent } from './event';

export interface EventFilter {
  accountId?: string;
  types?: readonly EventType[];
}

/** An event with the cursor that resumes right after it. */
export interface LogEntry {
  cursor: string;
  event: LoggedEvent;
}

export interface LogRead {
  entries: LogEntry[];
  /** Where the next read starts: past every event read, matching or not. Never null (poll with it). */
  next: string;
}

/** The cursor names a place the log no longer holds (its events were purged by retention). */
export class CursorExpired extends Error {}

/** Not a cursor this log returns (made up, or from another store). */
export class CursorInvalid extends Error {}

/** Reads of the event log, oldest first. Adapters: sqlite/event-log.repository.sqlite.ts. */
export abstract class EventLog {
  /**
   * Up to `limit` (at least 1) events after `cursor` (null: from the oldest kept) that match `filter`.
   * Throws `CursorInvalid` for a cursor it could not have returned, `CursorExpired` for one older than
   * what the log keeps.
   */
  abstract read(cursor: string | null, filter: EventFilter, limit: number): Promise<LogRead>;
  /** The cursor of the log's end now: a live stream without a cursor starts there. */
  abstract end(): Promise<string>;
  /** A cursor a read resumes from to meet every event that occurred at or after `time` (a replay's `since`). */
  abstract startAt(time: number): Promise<string>;
  /** The events still kept among these ids, in log order. */
  abstract byIds(eventIds: readonly string[]): Promise<LoggedEvent[]>;
  /** Removes events older than `before` (sqlite; Firestore's TTL does it there); how many went. */
  abstract purgeBefore(before: number, limit: number): Promise<number>;
}
