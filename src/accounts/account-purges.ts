/**
 * What a deleted account leaves behind, removed in the background (CONTRACT, "Corrections"): its outbox
 * (idempotency) records, message lookups, contact aliases, messages and threads. Media and events join
 * that list in each adapter's steps once they exist. A durable purge record per account, written with
 * the delete, makes the purge resumable after a crash and keeps the id taken (`AccountBeingPurged`) until
 * it is done, so a re-created id starts empty. Adapters: sqlite/account-purges.sqlite.ts, firestore/account-purges.firestore.ts.
 */
export abstract class AccountPurges {
  /** Deleted accounts whose data is not all gone yet, at most `limit`. */
  abstract pending(limit: number): Promise<string[]>;
  /**
   * Removes at most `limit` of the deleted account's records, one kind at a time; once none is left,
   * removes its purge record, which frees the id. Returns how many records went (0: the purge is done).
   * Safe to run on several instances at once: each step deletes what is still there.
   */
  abstract purgeSome(accountId: string, limit: number): Promise<number>;
}
