import { Timestamp } from 'firebase-admin/firestore';
import { EVENT_ID_PATTERN } from '../event';
import { CursorInvalid } from '../event-log.repository';

/**
 * A place in the Firestore log: a commit time in microseconds (a Timestamp's precision) and the event id
 * that breaks ties between events of one commit time; `eventId` '' is the place before every event of
 * that time (the end of an empty log).
 */
export interface LogPosition {
  micros: number;
  eventId: string;
}

export function positionOf(committedAt: Timestamp, eventId: string): LogPosition {
  return { micros: committedAt.seconds * 1_000_000 + Math.floor(committedAt.nanoseconds / 1_000), eventId };
}

export function timestampOf(position: LogPosition): Timestamp {
  return new Timestamp(Math.floor(position.micros / 1_000_000), (position.micros % 1_000_000) * 1_000);
}

/** The opaque cursor: base64url of `[micros, eventId]`. */
export function encodeCursor(position: LogPosition): string {
  return Buffer.from(JSON.stringify([position.micros, position.eventId])).toString('base64url');
}

/** Only what `encodeCursor` makes: anything else (edited, or another store's) is `CursorInvalid`. */
export function decodeCursor(cursor: string): LogPosition {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString());
  } catch {
    throw new CursorInvalid(cursor);
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) throw new CursorInvalid(cursor);
  const [micros, eventId] = parsed as unknown[];
  const valid = Number.isSafeInteger(micros) && (micros as number) >= 0 && typeof eventId === 'string' && (eventId === '' || EVENT_ID_PATTERN.test(eventId));
  const position = { micros: micros as number, eventId: eventId as string };
  if (!valid || encodeCursor(position) !== cursor) throw new CursorInvalid(cursor);
  return position;
}
