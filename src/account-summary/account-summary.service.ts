import { Injectable } from '@nestjs/common';
import { AccountRepository } from '../accounts/account.repository';
import { Clock } from '../common/clock';
import { AccountNotFound } from '../common/errors';
import { assertAccountId } from '../common/ids';
import { OutboxRepository } from '../outbox/outbox.repository';
import { AccountActivity } from './account-activity';
import { AccountSummary } from './account-summary';

/** A console keeps 300 accounts on screen and reloads their summaries: each costs the store at most one aggregation per 10 s per instance. */
export const SUMMARY_TTL_MS = 10_000;
/** Bounds the cache when many consoles walk many accounts; expired entries go first, then the oldest. */
const MAX_CACHED = 5_000;

interface Cached {
  expiresAt: number;
  summary: Promise<AccountSummary>;
}

@Injectable()
export class AccountSummaries {
  private readonly cache = new Map<string, Cached>();

  constructor(
    private readonly accounts: AccountRepository,
    private readonly outbox: OutboxRepository,
    private readonly activity: AccountActivity,
    private readonly clock: Clock,
  ) {}

  /** Concurrent callers share one read; a failed read is not kept. */
  summaryOf(accountId: string): Promise<AccountSummary> {
    assertAccountId(accountId);
    const now = this.clock.now();
    const cached = this.cache.get(accountId);
    if (cached && cached.expiresAt > now) return cached.summary;
    const summary = this.read(accountId, now);
    this.keep(accountId, { expiresAt: now + SUMMARY_TTL_MS, summary });
    summary.catch(() => {
      if (this.cache.get(accountId)?.summary === summary) this.cache.delete(accountId);
    });
    return summary;
  }

  private async read(accountId: string, now: number): Promise<AccountSummary> {
    const [account, lastMessages, outbox] = await Promise.all([this.accounts.get(accountId), this.activity.lastMessageTimes(accountId), this.outbox.countOf(accountId)]);
    if (!account) throw new AccountNotFound(accountId);
    return { account, lastMessages, outbox, readAt: now };
  }

  private keep(accountId: string, entry: Cached): void {
    this.cache.delete(accountId);
    if (this.cache.size >= MAX_CACHED) {
      for (const [id, cached] of this.cache) if (cached.expiresAt <= entry.expiresAt - SUMMARY_TTL_MS) this.cache.delete(id);
      if (this.cache.size >= MAX_CACHED) this.cache.delete(this.cache.keys().next().value!);
    }
    this.cache.set(accountId, entry);
  }
}
