import { Timestamp } from 'firebase-admin/firestore';

/**
 * The one conversion between the domain's epoch milliseconds and the `Timestamp`s the documents hold
 * (apps read the docs directly, so times there are real Firestore timestamps, not numbers).
 * Whole milliseconds round-trip exactly: a Timestamp keeps microseconds.
 */
export function toTimestamp(ms: number): Timestamp;
export function toTimestamp(ms: number | null): Timestamp | null;
export function toTimestamp(ms: number | null): Timestamp | null {
  return ms === null ? null : Timestamp.fromMillis(ms);
}

export function toMillis(value: Timestamp): number;
export function toMillis(value: Timestamp | null | undefined): number | null;
export function toMillis(value: Timestamp | null | undefined): number | null {
  return value == null ? null : value.toMillis();
}
