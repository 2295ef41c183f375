import { Failure, FailureReason } from '../messaging/failure-reason';
import { Injectable } from '@nestjs/common';
import { outboxItemId } from '../common/ids';
import { statusRank } from '../receipts/message-status';
import { SqliteStore } from '../store/sqlite/sqlite-store';
import { AcceptOutcome, AcceptedSend, OutboxItem } from './outbox-item';
import { OutboxRow, toOutboxItem } from './outbox-rows.sqlite';
import { SqliteAcceptWrite } from './accept-write.sqlite';
import { OutboxRepository } from './outbox.repository';
import { SqliteOutboxLifecycle } from './outbox-lifecycle.sqlite';
import { Claim, ClaimRequest } from './claim-rule';

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

  async get(accountId: string, requestId: string): Promise<OutboxItem | undefined> {
    const row = this.store.statement('SELECT * FROM outbox WHERE id = ?').get(outboxItemId(accountId, requestId)) as OutboxRow | undefined;
    return row && toOutboxItem(row);
  }

  async failWaiting(accountId: string, reason: FailureReason, now: number): Promise<number> {
    const params = { accountId, reason, now, rank: statusRank('failed') };
    return this.store.writes.run(() => {
      this.store
        .statement(
          `UPDATE messages SET status = 'failed', status_rank = @rank, failed_at = @now, error = NULL, failure_reason = @reason, updated_at = @now
           WHERE status_rank < @rank AND (thread_id, message_id) IN (
             SELECT thread_id, message_id FROM outbox WHERE account_id = @accountId AND status IN ('queued', 'processing'))`,
        )
        .run(params);
      return this.store
        .statement(
          `UPDATE outbox SET status = 'failed', last_error = NULL, failure_reason = @reason, ended_at = @now, updated_at = @now, lease_until = NULL
           WHERE account_id = @accountId AND status IN ('queued', 'processing')`,
        )
        .run(params).changes;
    });
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
}
