import { Page, PageRequest } from '../common/page';
import { FailureReason } from '../messaging/failure-reason';
import { AccountRecord, AccountStatus, ConnectionPatch } from './account';

/** Who holds an account: the owner string and the epoch it was taken under (the fencing token). */
export interface Holding {
  accountId: string;
  owner: string;
  ownerEpoch: number;
}

/** Storage of `accounts/{accountId}`. Adapters: sqlite/account.repository.sqlite.ts, firestore/account.repository.firestore.ts. */
export abstract class AccountRepository {
  /**
   * Creates the account, or throws `AccountAlreadyExists`; `AccountBeingPurged` while the data of a
   * deleted account of that id is still being removed (checked in the same write).
   */
  abstract create(account: AccountRecord): Promise<void>;
  abstract get(accountId: string): Promise<AccountRecord | undefined>;
  /** Ordered by account id. */
  abstract list(page: PageRequest): Promise<Page<AccountRecord>>;
  /** Accounts by status, every status present (0 when none): read at each metrics scrape, so cheap on a large store. */
  abstract countByStatus(): Promise<Record<AccountStatus, number>>;
  /**
   * Removes the account and its session and records its purge (see AccountPurges), in one write; true
   * when it existed. Its threads, messages, aliases and outbox records go in the background.
   */
  abstract delete(accountId: string, now: number): Promise<boolean>;

  /**
   * Takes up to `limit` accounts that no live instance holds (no owner, or an expired lease), except
   * logged-out ones, which wait for an operator. Each taken account gets `owner`, `ownerEpoch + 1` and
   * `leaseUntil = now + leaseMs`, atomically: two instances racing for one account never both win.
   * A pending reconnect is recorded done in the same write (the new holder opens a new socket anyway).
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
  /**
   * The end of the account's session: its session cleared, its waiting sends failed with `ending.reason`,
   * and `ending.patch` written (the lease given up too with `release`), only while `holding` is current:
   * a stale holder can never clear a newer holder's session nor fail what it sends. One transaction on
   * sqlite; on Firestore each commit of the many it may take is fenced, and the patch lands last, so an
   * ending cut short (crash, takeover) leaves its reset pending for the next holder. False when fenced out.
   */
  abstract end(holding: Holding, ending: AccountEnding): Promise<boolean>;
  /** Records the operator request made at `requestedAt` as performed, fenced by the holding. */
  abstract completeRequest(holding: Holding, action: AccountAction, requestedAt: number): Promise<boolean>;
  /** A logged-out account the operator wants linked again: back to `disconnected`, so an instance takes it. */
  abstract markRelinkable(accountId: string, now: number): Promise<void>;
  /**
   * Records an operator request (`reconnect` or `reset`), pending until a holder performs it: the holder
   * sees it at its next renewal, or a new holder when it takes the account. False when there is no account.
   */
  abstract requestAction(accountId: string, action: AccountAction, at: number): Promise<boolean>;
  /**
   * Asks the holder for a pairing code for `phoneNumber` (it answers at its next renewal, through
   * `recordConnection` with `pairingCodeFor = at`); clears an earlier answer. False when the account does not exist.
   */
  abstract requestPairing(accountId: string, phoneNumber: string, at: number): Promise<boolean>;
}

export type AccountAction = 'reconnect' | 'reset';

export interface AccountEnding {
  /** Why the waiting sends fail. */
  reason: FailureReason;
  /** The account's state once ended. */
  patch: ConnectionPatch;
  /** Give the lease up too (a logout: no instance takes the account until an operator asks). */
  release: boolean;
  /** The reset request this ending performs, recorded done with it; null when none. */
  resetRequestedAt: number | null;
}
