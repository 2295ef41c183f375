import { Direction } from '../messaging/message';

/**
 * Tolerant readers for fields the old code wrote in more than one shape over its life: times as
 * Firestore Timestamps, epoch milliseconds, epoch seconds (WhatsApp's own message timestamps) or ISO
 * strings. Anything unreadable is `undefined`, and the placement rules decide what that means.
 */

/** Below this a number is taken for epoch seconds: 1e11 ms is March 1973, 1e11 s is the year 5138. */
const SECONDS_BELOW = 1e11;

export function legacyTime(value: unknown): number | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? Math.round(value < SECONDS_BELOW ? value * 1000 : value) : undefined;
  if (typeof value === 'string') {
    const parsed = Date.parse(value);
    return Number.isNaN(parsed) ? undefined : parsed;
  }
  if (value instanceof Date) return value.getTime();
  // firebase-admin's Timestamp, or any object shaped like one (a Timestamp read through another SDK).
  if (typeof value === 'object' && typeof (value as { toMillis?: unknown }).toMillis === 'function') return (value as { toMillis(): number }).toMillis();
  if (typeof value === 'object' && typeof (value as { seconds?: unknown }).seconds === 'number') {
    const { seconds, nanoseconds } = value as { seconds: number; nanoseconds?: number };
    return seconds * 1000 + Math.floor((nanoseconds ?? 0) / 1e6);
  }
  return undefined;
}

export function legacyString(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

export function legacyCount(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined;
}

/** `direction` when the old code wrote it, else Baileys' `fromMe` flag. */
export function legacyDirection(direction: unknown, fromMe: unknown): Direction | undefined {
  if (direction === 'inbound' || direction === 'outbound') return direction;
  if (direction === 'in') return 'inbound';
  if (direction === 'out') return 'outbound';
  if (typeof fromMe === 'boolean') return fromMe ? 'outbound' : 'inbound';
  return undefined;
}

/** The record without its `undefined` fields: an absent old field stays absent, as the new adapters write. */
export function dropUndefined<T extends object>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as T;
}
