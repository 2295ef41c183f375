import { Holding } from './account.repository';

/** A session write from an instance that no longer holds the account: refused, so it cannot clobber the new owner's. */
export class SessionFenced extends Error {
  constructor(readonly accountId: string) {
    super(`session write for ${accountId} refused: this instance no longer holds the account`);
  }
}

/**
 * An account's Baileys session (creds and signal keys) as JSON strings by key. Adapters:
 * sqlite/session.repository.sqlite.ts, firestore/session.repository.firestore.ts (`accounts/{id}/session/{key}`).
 */
export abstract class SessionRepository {
  abstract read(accountId: string, keys: string[]): Promise<Map<string, string>>;
  /** Sets (string) or deletes (null) every key at once, only while `holding` is current; else `SessionFenced`. */
  abstract write(holding: Holding, changes: Map<string, string | null>): Promise<void>;
  abstract clear(accountId: string): Promise<void>;
}
