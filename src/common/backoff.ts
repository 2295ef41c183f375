export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

/**
 * Capped exponential backoff with equal jitter: attempt 1 waits between base/2 and base, each later
 * attempt twice as long, never more than max. The jitter keeps 30 accounts (or 3,000 outbox items) that
 * failed together from retrying together.
 */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const exponential = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential / 2 + random() * (exponential / 2));
}
