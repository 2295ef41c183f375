/** What must be left of each lease for a claimed item's send to start. */
export interface SendWindow {
  /** Of the item's claim: the send timeout plus a margin, so the send ends before anyone may reclaim the item. */
  claimMs: number;
  /** Of the account's lease: so the send never goes out while another instance may already hold the account. */
  accountMs: number;
}

export function accountLeaseLeaves(accountLeaseUntil: number, now: number, window: SendWindow): boolean {
  return accountLeaseUntil - now >= window.accountMs;
}

/**
 * Which lease is too short for the send to start now, if either. Asked right before the provider send:
 * an event loop stalled after the claim (a long GC, a blocked thread) can have used up most of both.
 */
export function shortLease(claimLeaseUntil: number, accountLeaseUntil: number, now: number, window: SendWindow): 'claim' | 'account' | null {
  if (claimLeaseUntil - now < window.claimMs) return 'claim';
  if (!accountLeaseLeaves(accountLeaseUntil, now, window)) return 'account';
  return null;
}
