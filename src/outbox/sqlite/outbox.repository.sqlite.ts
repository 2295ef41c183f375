import { Failure } from '../../messaging/failure-reason';
import { Injectable } from '@nestjs/common';
import { outboxItemId } from '../../common/ids';
import { SqliteStore } from '../../store/sqlite/sqlite-store';
import { AcceptedSend } from '../../messaging/send-acceptance';
import { tally } from '../../common/tally';
import { AcceptOutcome, OPEN_OUTBOX_STATUSES, OpenOutboxStatus, OutboxItem } from '../outbox-item';
import { OutboxRow, toOutboxItem } from './outbox-rows.sqlite';
import { SqliteAcceptWrite } from './accept-write.sqlite';
import { OutboxRepository } from '../outbox.repository';
import { SqliteOutboxLifecycle } from './outbox-lifecycle.sqlite';
import { Claim, ClaimRequest } from '../claim-rule';
import { Page, PageRequest } from '../../common/page';
import { RetryOutcome, WatchedOutboxStatus } from '../failed-send-retry';
import { OutboxStatus } from '../outbox-item';
import { SqliteOperatorOutbox } from './operator-outbox.sqlite';

@Injectable()
export class SqliteOutboxRepository extends OutboxRepository {
  private readonly acceptWrite: SqliteAcceptWrite;
  private readonly lifecycle: SqliteOutboxLifecycle;

  constructor(private readonly store: SqliteStore) {
    super();
    this.acceptWrite = new SqliteAcceptWrite(store);
    this.lifecycle = new SqliteOutboxLifecycle(store);
  }

  accept(send: AcceptedSend): Promise<AcceptOutcome> {
    return this.store.writes.run(() => this.acceptWrite.apply(send));
  }

  /**
   * From the partial index `outbox_open_by_account` (open items only): 0.3 ms with 1M ended items kept;
   * counting every status scanned the table, ~300 ms at 1M rows.
   */
  async countOpen(): Promise<Record<OpenOutboxStatus, number>> {
    const rows = this.store.statement(`SELECT status, COUNT(*) AS n FROM outbox WHERE status IN ('queued', 'processing') GROUP BY status`).all();
    return tally(OPEN_OUTBOX_STATUSES, rows as Array<{ status: string; n: number }>);
  }

  async get(accountId: string, requestId: string): Promise<OutboxItem | undefined> {
    const row = this.store.statement('SELECT * FROM outbox WHERE id = ?').get(outboxItemId(accountId, requestId)) as OutboxRow | undefined;
    return row && toOutboxItem(row);
  }

  claim(request: ClaimRequest): Promise<OutboxItem[]> {
    return this.lifecycle.claim(request);
  }

  markSent(claim: Claim, now: number): Promise<boolean> {
    return this.lifecycle.markSent(claim, now);
  }

  release(claim: Claim, error: string, nextAttemptAt: number, now: number): Promise<boolean> {
    return this.lifecycle.release(claim, error, nextAttemptAt, now);
  }

  markFailed(claim: Claim, failure: Failure, now: number): Promise<boolean> {
    return this.lifecycle.markFailed(claim, failure, now);
  }

  releaseUnsent(claim: Claim, now: number): Promise<boolean> {
    return this.lifecycle.releaseUnsent(claim, now);
  }

  releaseAll(owner: string, now: number): Promise<number> {
    return this.lifecycle.releaseAll(owner, now);
  }

  markSentBySending(accountId: string, waMessageId: string, now: number): Promise<boolean> {
    return this.lifecycle.markSentBySending(accountId, waMessageId, now);
  }

  failBySending(accountId: string, waMessageId: string, failure: Failure, now: number): Promise<boolean> {
    return this.lifecycle.failBySending(accountId, waMessageId, failure, now);
  }

  countOf(accountId: string): Promise<Record<WatchedOutboxStatus, number>> {
    return this.operator().countOf(accountId);
  }

  list(accountId: string, status: OutboxStatus | undefined, page: PageRequest): Promise<Page<OutboxItem>> {
    return this.operator().list(accountId, status, page);
  }

  retryFailed(accountId: string, requestId: string, now: number): Promise<RetryOutcome> {
    return this.operator().retryFailed(accountId, requestId, now);
  }

  /** Made on first use: the fields above stay as they are, and its statements are prepared once. */
  private operatorOutbox?: SqliteOperatorOutbox;
  private operator(): SqliteOperatorOutbox {
    return (this.operatorOutbox ??= new SqliteOperatorOutbox(this.store));
  }
}
