/**
 * Outbox items past their retention, where the store has no expiry of its own: sqlite. On Firestore the
 * TTL policy on `expireAt` deletes them, so this port has no Firestore adapter.
 */
export abstract class EndedOutboxItems {
  /** Deletes at most `limit` items that ended before `endedBefore`, oldest first; returns how many. */
  abstract purge(endedBefore: number, limit: number): Promise<number>;
}
