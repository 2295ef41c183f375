import type { AccountStatus } from '../accounts/account';

/** The open outbox statuses: the queue an operator watches. Ended items are counted as they end (send results). */
export type OpenOutboxStatus = 'queued' | 'processing';

/**
 * Store-wide counts read at scrape time. Every instance reports the same numbers (aggregate them with
 * `max`, not `sum`). Only reads that stay cheap on a large store belong here: see each adapter.
 */
export abstract class StoreCounts {
  abstract openOutboxItems(): Promise<Record<OpenOutboxStatus, number>>;
  abstract accountsByStatus(): Promise<Record<AccountStatus, number>>;
}
