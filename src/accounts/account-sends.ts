import { FailureReason } from '../messaging/failure-reason';
import { Holding } from './account.repository';

/**
 * The sends an account has waiting in the outbox, as its ending and its purge reach them. Accounts
 * defines this and the outbox implements it (outbox/account-sends.*); the composition root binds them,
 * so accounts never imports the outbox.
 */
export abstract class AccountSends {
  /**
   * Ends every waiting item of the account (`queued`, or `processing` under a claim) `failed` with the
   * reason, with its message; one whose message a receipt already acknowledged ends `sent`, its status
   * kept. With `fence`, each of its writes lands only while that holding is current: null once it is not.
   * Returns how many ended failed.
   */
  abstract failWaiting(accountId: string, reason: FailureReason, now: number, fence?: Holding): Promise<number | null>;
  /** Removes at most `limit` of a deleted account's items; 0 once none is left. */
  abstract removeSome(accountId: string, limit: number): Promise<number>;
}

/** The same on sqlite, inside a write the caller holds: an account's ending there is one transaction. */
export interface AccountSendsInWrite {
  failWaitingInWrite(accountId: string, reason: FailureReason, now: number): number;
  removeSomeInWrite(accountId: string, limit: number): number;
}
