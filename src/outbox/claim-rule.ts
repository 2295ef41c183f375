import { OutboxItem } from './outbox-item';

/** What an instance presents when it claims: who it is, and the account epoch it holds the account under. */
export interface ClaimRequest {
  owner: string;
  /** `limit`: the account's room under this instance's in-flight cap (see `claimLimit`). */
  accounts: Array<{ accountId: string; ownerEpoch: number; limit?: number }>;
  now: number;
  leaseMs: number;
  /** At most this many items per account in one claim: fairness across accounts. */
  perAccount: number;
}

/** The claim a worker holds: an item is its to finish only while (claimedBy, attempts) still match. */
export interface Claim {
  id: string;
  claimedBy: string;
  attempts: number;
}

/** How many of the account's items one claim may take: `perAccount`, or fewer when its room is less. */
export function claimLimit(request: ClaimRequest, account: ClaimRequest['accounts'][number]): number {
  return Math.min(request.perAccount, account.limit ?? request.perAccount);
}

/** The claim a claimed work item (an outbox item, a webhook delivery) carries. */
export function claimOf(item: { id: string; claimedBy: string | null; attempts: number }): Claim {
  return { id: item.id, claimedBy: item.claimedBy!, attempts: item.attempts };
}

/**
 * The claim condition, the one place it is written (the sqlite adapter mirrors it in SQL, the firestore
 * adapter calls it inside its transaction; the contract suite proves they agree). An item is claimable
 * when it is `queued` and due, or `processing` under a lease that ran out (its claimant died); and only
 * once every earlier item of its thread has ended, so one recipient gets messages in accepted order.
 * The account side (owner and epoch still current) is checked in the same atomic step by the adapter.
 */
export function isClaimable(item: Pick<OutboxItem, 'status' | 'nextAttemptAt' | 'leaseUntil'>, now: number, earlierOpenInThread: boolean): boolean {
  if (earlierOpenInThread) return false;
  if (item.status === 'queued') return item.nextAttemptAt <= now;
  if (item.status === 'processing') return item.leaseUntil !== null && item.leaseUntil <= now;
  return false;
}
