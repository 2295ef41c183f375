import { Page, PageRequest } from '../common/page';
import { AccountRecord, ConnectionPatch } from './account';

/** Who holds an account: the owner string and the epoch it was taken under (the fencing token). */
export interface Holding {
  accountId: string;
  owner: string;
  ownerEpoch: number;
}

/** Storage of `accounts/{accountId}`. Adapters: account.repository.sqlite.ts, account.repository.firestore.ts. */
export abstract class AccountRepository {
  /** Creates the account, or throws `AccountAlreadyExists`. */
  abstract create(account: AccountRecord): Promise<void>;
  abstract get(accountId: string): Promise<AccountRecord | undefined>;
  /** Ordered by account id. */
  abstract list(page: PageRequest): Promise<Page<AccountRecord>>;
  /** Removes the account doc; true when it existed. */
  abstract delete(accountId: string): Promise<boolean>;

  /**
   * Takes up to `limit` accounts that no live instance holds (no owner, or an expired lease), except
   * logged-out ones, which wait for an operator. Each taken account gets `owner`, `ownerEpoch + 1` and
   * `leaseUntil = now + leaseMs`, atomically: two instances racing for one account never both win.
   */
  abstract claimUnowned(owner: string, now: number, leaseMs: number, limit: number): Promise<AccountRecord[]>;
  /**
   * Extends the lease of each holding that is still exactly (owner, epoch); returns the renewed accounts
   * as stored (so the holder also sees operator requests written by other instances).
   */
  abstract renew(holdings: Holding[], leaseUntil: number): Promise<AccountRecord[]>;
  /** Gives the account up (owner and lease cleared) if still held under this epoch; `patch` is written with it. */
  abstract release(holding: Holding, patch?: ConnectionPatch): Promise<boolean>;
  /** Records connection state, fenced: written only while the holding is still current. */
  abstract recordConnection(holding: Holding, patch: ConnectionPatch): Promise<boolean>;
  /** A logged-out account the operator wants linked again: back to `disconnected`, so an instance takes it. */
  abstract markRelinkable(accountId: string, now: number): Promise<void>;
  /** Asks whoever holds the account to act (`reconnect` or `reset`); the holder sees it at its next renewal. */
  abstract requestAction(accountId: string, action: AccountAction, at: number): Promise<boolean>;
  /**
   * Asks the holder for a pairing code for `phoneNumber` (it answers at its next renewal, through
   * `recordConnection` with `pairingCodeFor = at`); clears an earlier answer. False when the account does not exist.
   */
  abstract requestPairing(accountId: string, phoneNumber: string, at: number): Promise<boolean>;
}

export type AccountAction = 'reconnect' | 'reset';
