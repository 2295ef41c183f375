import { Injectable } from '@nestjs/common';
import { Statement } from 'better-sqlite3';
import { AccountNotFound } from '../common/errors';
import { outboxItemId } from '../common/ids';
import { statusRank } from '../receipts/message-status';
import { SqliteStore } from '../store/sqlite/sqlite-store';
import { AcceptOutcome, AcceptedSend, OutboxItem } from './outbox-item';
import { outboxItemFor } from './outbox-item.factory';
import { OutboxRow, toOutboxItem } from './outbox-rows.sqlite';
import { OutboxRepository } from './outbox.repository';
import { SqliteOutboxLifecycle } from './outbox-lifecycle.sqlite';
import { Claim, ClaimRequest } from './claim-rule';

@Injectable()
export class SqliteOutboxRepository extends OutboxRepository {
  private readonly statements: Record<'findItem' | 'accountExists' | 'bumpThread' | 'insertMessage' | 'insertLookup' | 'insertItem', Statement>;

  private readonly lifecycle: SqliteOutboxLifecycle;

  constructor(private readonly store: SqliteStore) {
    super();
    this.lifecycle = new SqliteOutboxLifecycle(store);
    const db = store.db;
    this.statements = {
      findItem: db.prepare('SELECT * FROM outbox WHERE id = ?'),
      accountExists: db.prepare('SELECT 1 FROM accounts WHERE account_id = ?'),
      // The thread's next sequence number is taken in the same write, so send order survives any clock.
      bumpThread: db.prepare(
        `INSERT INTO threads (thread_id, account_id, client_jid, last_message_at, last_message_text, last_message_direction,
           next_seq, created_at, updated_at)
         VALUES (@threadId, @accountId, @clientJid, @now, @text, 'outbound', 2, @now, @now)
         ON CONFLICT (thread_id) DO UPDATE SET
           next_seq = next_seq + 1,
           last_message_text = CASE WHEN excluded.last_message_at >= last_message_at THEN excluded.last_message_text ELSE last_message_text END,
           last_message_direction = CASE WHEN excluded.last_message_at >= last_message_at THEN 'outbound' ELSE last_message_direction END,
           last_message_at = MAX(last_message_at, excluded.last_message_at),
           updated_at = excluded.updated_at
         RETURNING next_seq - 1 AS seq`,
      ),
      insertMessage: db.prepare(
        `INSERT INTO messages (thread_id, message_id, account_id, client_jid, direction, text, status, status_rank,
           wa_message_id, request_id, seq, created_at, updated_at)
         VALUES (@threadId, @messageId, @accountId, @clientJid, 'outbound', @text, 'queued', @rank,
           @waMessageId, @requestId, @seq, @now, @now)`,
      ),
      insertLookup: db.prepare(
        `INSERT INTO message_lookup (account_id, direction, wa_message_id, thread_id, message_id)
         VALUES (@accountId, 'outbound', @waMessageId, @threadId, @messageId)`,
      ),
      insertItem: db.prepare(
        `INSERT INTO outbox (id, account_id, request_id, thread_id, message_id, message_ref, wa_message_id, to_jid, text, seq,
           status, attempts, next_attempt_at, request_hash, answer, created_at, updated_at)
         VALUES (@id, @accountId, @requestId, @threadId, @messageId, @messageRef, @waMessageId, @toJid, @text, @seq,
           @status, @attempts, @nextAttemptAt, @requestHash, @answer, @createdAt, @updatedAt)`,
      ),
    };
  }

  accept(send: AcceptedSend): Promise<AcceptOutcome> {
    return this.store.writes.run(() => this.acceptInTransaction(send));
  }

  /** Runs inside a group-commit savepoint: a throw anywhere undoes this send's rows only. */
  private acceptInTransaction(send: AcceptedSend): AcceptOutcome {
    const existing = this.statements.findItem.get(outboxItemId(send.accountId, send.requestId)) as OutboxRow | undefined;
    if (existing) return { kind: 'existing', item: toOutboxItem(existing) };
    if (!this.statements.accountExists.get(send.accountId)) throw new AccountNotFound(send.accountId);
    const { seq } = this.statements.bumpThread.get(send) as { seq: number };
    this.statements.insertMessage.run({ ...send, seq, rank: statusRank('queued') });
    this.statements.insertLookup.run(send);
    const item = outboxItemFor(send, seq);
    this.statements.insertItem.run({ ...item, answer: JSON.stringify(item.answer) });
    return { kind: 'accepted', item };
  }

  async get(accountId: string, requestId: string): Promise<OutboxItem | undefined> {
    const row = this.statements.findItem.get(outboxItemId(accountId, requestId)) as OutboxRow | undefined;
    return row && toOutboxItem(row);
  }

  async failWaiting(accountId: string, reason: string, now: number): Promise<number> {
    const params = { accountId, reason, now, rank: statusRank('failed') };
    return this.store.writes.run(() => {
      this.store
        .statement(
          `UPDATE messages SET status = 'failed', status_rank = @rank, failed_at = @now, error = @reason, updated_at = @now
           WHERE status_rank < @rank AND (thread_id, message_id) IN (
             SELECT thread_id, message_id FROM outbox WHERE account_id = @accountId AND status IN ('queued', 'processing'))`,
        )
        .run(params);
      return this.store
        .statement(
          `UPDATE outbox SET status = 'failed', last_error = @reason, ended_at = @now, updated_at = @now, lease_until = NULL
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

  markFailed(claim: Claim, reason: string, now: number): Promise<boolean> {
    return this.lifecycle.markFailed(claim, reason, now);
  }

  releaseAll(owner: string, now: number): Promise<number> {
    return this.lifecycle.releaseAll(owner, now);
  }

  failBySending(accountId: string, waMessageId: string, reason: string, now: number): Promise<boolean> {
    return this.lifecycle.failBySending(accountId, waMessageId, reason, now);
  }
}
