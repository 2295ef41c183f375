import { InvalidInput } from './errors';

/** A keyset page: `nextCursor` is opaque to clients and null at the end. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface PageRequest {
  limit: number;
  /** The last (sort key, id) of the previous page, decoded. */
  after?: Cursor;
}

export interface Cursor {
  key: number;
  id: string;
}

export const DEFAULT_PAGE_LIMIT = 50;
export const MAX_PAGE_LIMIT = 200;

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.key, cursor.id])).toString('base64url');
}

/**
 * What one list's cursors hold, so each list refuses a cursor it could not have returned: one made up,
 * or one from another list or account. Checked before any store sees it, so both stores answer alike.
 */
export interface CursorShape {
  /** `time`: epoch milliseconds a Firestore Timestamp can hold; `none`: the 0 an id-ordered list writes. */
  key: 'time' | 'none';
  /** Whether `id` is one this list returns (a thread of the listed account, a message id, ...). */
  isId(id: string): boolean;
}

/** Timestamp's range, 0001-01-01 to 9999-12-31: Firestore refuses a time outside it, sqlite would not. */
export const MIN_CURSOR_TIME_MS = -62_135_596_800_000;
export const MAX_CURSOR_TIME_MS = 253_402_300_799_999;

const CURSOR_REASON = 'is not a cursor this server returned for this list';

export function decodeCursor(value: string | undefined, shape: CursorShape, field = 'cursor'): Cursor | undefined {
  if (value === undefined || value === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidInput(field, CURSOR_REASON);
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) throw new InvalidInput(field, CURSOR_REASON);
  const [key, id] = parsed as unknown[];
  if (!isKeyOf(shape, key) || typeof id !== 'string' || !shape.isId(id)) throw new InvalidInput(field, CURSOR_REASON);
  return { key, id };
}

function isKeyOf(shape: CursorShape, key: unknown): key is number {
  if (shape.key === 'none') return key === 0;
  return Number.isSafeInteger(key) && (key as number) >= MIN_CURSOR_TIME_MS && (key as number) <= MAX_CURSOR_TIME_MS;
}

/** Builds a page from `limit + 1` rows fetched in order: the extra row only says whether there is more. */
export function pageOf<T>(rows: T[], limit: number, cursorOf: (row: T) => Cursor): Page<T> {
  const items = rows.slice(0, limit);
  const more = rows.length > limit;
  return { items, nextCursor: more ? encodeCursor(cursorOf(items[items.length - 1])) : null };
}
