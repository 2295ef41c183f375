import { Statement } from 'better-sqlite3';
import { Failure } from '../../messaging/failure-reason';
import { ACKNOWLEDGED_STATUSES, statusRank } from '../../messaging/message-status';
import { SqliteStore } from '../../store/sqlite/sqlite-store';
import { Claim, ClaimRequest, claimLimit } from '../claim-rule';
import { OutboxItem } from '../outbox-item';
import { OutboxRow, toOutboxItem } from './outbox-rows.sqlite';
import { EventType } from '../../events/event';
import { appendEvent } from '../../events/sqlite/event-append.sqlite';
import { messageEvent } from '../../messaging/message-events';
import { MessageRow, toMessage } from '../../messaging/sqlite/message-rows.sqlite';

const OPEN = `status IN ('queued', 'processing')`;
const STILL_CLAIMED = `id = @id AND status = 'processing' AND claimed_by = @claimedBy AND attempts = @attempts`;
/** The item's message is acknowledged (`isAcknowledged`): a send WhatsApp has is never failed nor retried. */
const UNACKNOWLEDGED = `NOT EXISTS (SELECT 1 FROM messages m WHERE m.thread_id = outbox.thread_id AND m.message_id = outbox.message_id
  AND m.status IN (${ACKNOWLEDGED_STATUSES.map((status) => `'${status}'`).join(', ')}))`;
/** The open item of the message WhatsApp knows by this id on this account, reached through the lookup. */
const BY_SENDING = `(thread_id, message_id) = (
    SELECT thread_id, message_id FROM message_lookup
    WHERE account_id = @accountId AND direction = 'outbound' AND wa_message_id = @waMessageId)
  AND account_id = @accountId AND wa_message_id = @waMessageId AND ${OPEN}`;

/**
 * The sqlite side of an item's life after accept: claim, sent, released, failed. Every write goes through
 * group commit, so completions arriving together share one transaction and one fsync.
 */
export class SqliteOutboxLifecycle {
  private readonly statements: Record<
    'claim' | 'itemSent' | 'messageSent' | 'release' | 'itemFailed' | 'messageFailed' | 'releaseUnsent' | 'releaseAll' | 'failBySending' | 'itemSentBySending',
    Statement
  >;

  constructor(private readonly store: SqliteStore) {
    const db = store.db;
    this.statements = {
      // Mirrors isClaimable() in claim-rule.ts, plus the account check: owner and epoch still current.
      claim: db.prepare(
        `UPDATE outbox SET status = 'processing', claimed_by = @owner, claim_epoch = @ownerEpoch, lease_until = @leaseUntil,
           attempts = attempts + 1, updated_at = @now
         WHERE id IN (
           SELECT o.id FROM outbox o
           WHERE o.account_id = @accountId AND o.${OPEN}
             AND EXISTS (SELECT 1 FROM accounts a WHERE a.account_id = @accountId AND a.owner = @owner AND a.owner_epoch = @ownerEpoch)
             AND ((o.status = 'queued' AND o.next_attempt_at <= @now) OR (o.status = 'processing' AND o.lease_until <= @now))
             AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.thread_id = o.thread_id AND e.seq < o.seq AND e.${OPEN})
           ORDER BY o.next_attempt_at, o.seq
           LIMIT @limit)
         RETURNING *`,
      ),
      itemSent: db.prepare(
        `UPDATE outbox SET status = 'sent', ended_at = @now, lease_until = NULL, last_error = NULL, updated_at = @now
         WHERE id = @id AND ${OPEN} RETURNING thread_id, message_id`,
      ),
      messageSent: db.prepare(
        `UPDATE messages SET status = CASE WHEN status_rank < @rank THEN 'sent' ELSE status END, status_rank = MAX(status_rank, @rank),
           sent_at = COALESCE(sent_at, @now), updated_at = @now
         WHERE thread_id = @thread_id AND message_id = @message_id AND (status_rank < @rank OR sent_at IS NULL)
         RETURNING *`,
      ),
      release: db.prepare(
        `UPDATE outbox SET status = 'queued', next_attempt_at = @nextAttemptAt, last_error = @error, lease_until = NULL,
           claimed_by = NULL, updated_at = @now
         WHERE ${STILL_CLAIMED} AND ${UNACKNOWLEDGED}`,
      ),
      itemFailed: db.prepare(
        `UPDATE outbox SET status = 'failed', last_error = @detail, failure_reason = @reason, ended_at = @now, lease_until = NULL, updated_at = @now
         WHERE ${STILL_CLAIMED} AND ${UNACKNOWLEDGED} RETURNING thread_id, message_id`,
      ),
      messageFailed: db.prepare(
        `UPDATE messages SET status = 'failed', status_rank = @rank, failed_at = @now, error = @detail, failure_reason = @reason, updated_at = @now
         WHERE thread_id = @thread_id AND message_id = @message_id AND status_rank < @rank
         RETURNING *`,
      ),
      releaseUnsent: db.prepare(
        `UPDATE outbox SET status = 'queued', attempts = attempts - 1, lease_until = NULL, claimed_by = NULL, updated_at = @now
         WHERE ${STILL_CLAIMED}`,
      ),
      // The OPEN term adds nothing logically; it lets the scan run over the partial index of open items
      // instead of the whole outbox, ended items of the last 7 days included (at shutdown, on the store's thread).
      releaseAll: db.prepare(
        `UPDATE outbox SET status = 'queued', attempts = attempts - 1, lease_until = NULL, claimed_by = NULL, updated_at = @now
         WHERE status = 'processing' AND claimed_by = @owner AND ${OPEN}`,
      ),
      // No index on the outbox's WhatsApp id (each one cost the accept a page): the lookup names the
      // message, and the open items of its thread are indexed (outbox_open_by_thread).
      failBySending: db.prepare(
        `UPDATE outbox SET status = 'failed', last_error = @detail, failure_reason = @reason, ended_at = @now, lease_until = NULL, updated_at = @now
         WHERE ${BY_SENDING}`,
      ),
      itemSentBySending: db.prepare(
        `UPDATE outbox SET status = 'sent', ended_at = @now, lease_until = NULL, last_error = NULL, updated_at = @now
         WHERE ${BY_SENDING} RETURNING thread_id, message_id`,
      ),
    };
  }

  claim(request: ClaimRequest): Promise<OutboxItem[]> {
    return this.store.writes.run(() =>
      request.accounts.flatMap(
        (account) =>
          this.statements.claim.all({
            ...account,
            owner: request.owner,
            now: request.now,
            leaseUntil: request.now + request.leaseMs,
            limit: claimLimit(request, account),
          }) as OutboxRow[],
      ),
    ).then((rows) => rows.map(toOutboxItem));
  }

  markSent(claim: Claim, now: number): Promise<boolean> {
    return this.store.writes.run(() => this.endSent(this.statements.itemSent.get({ id: claim.id, now }), now));
  }

  markSentBySending(accountId: string, waMessageId: string, now: number): Promise<boolean> {
    return this.store.writes.run(() => this.endSent(this.statements.itemSentBySending.get({ accountId, waMessageId, now }), now));
  }

  release(claim: Claim, error: string, nextAttemptAt: number, now: number): Promise<boolean> {
    return this.store.writes.run(() => this.statements.release.run({ ...claim, error, nextAttemptAt, now }).changes > 0);
  }

  markFailed(claim: Claim, failure: Failure, now: number): Promise<boolean> {
    return this.store.writes.run(() => {
      const ended = this.statements.itemFailed.get({ ...claim, ...failure, now }) as { thread_id: string; message_id: string } | undefined;
      if (ended) this.logChange('message.failed', this.statements.messageFailed.get({ ...ended, ...failure, now, rank: statusRank('failed') }), now);
      return ended !== undefined;
    });
  }

  releaseUnsent(claim: Claim, now: number): Promise<boolean> {
    return this.store.writes.run(() => this.statements.releaseUnsent.run({ ...claim, now }).changes > 0);
  }

  releaseAll(owner: string, now: number): Promise<number> {
    return this.store.writes.run(() => this.statements.releaseAll.run({ owner, now }).changes);
  }

  failBySending(accountId: string, waMessageId: string, failure: Failure, now: number): Promise<boolean> {
    return this.store.writes.run(() => this.statements.failBySending.run({ accountId, waMessageId, ...failure, now }).changes > 0);
  }

  /** The message of an item just ended `sent` moves with it, in the same write. */
  private endSent(ended: unknown, now: number): boolean {
    const message = ended as { thread_id: string; message_id: string } | undefined;
    if (message) this.logChange('message.sent', this.statements.messageSent.get({ ...message, now, rank: statusRank('sent') }), now);
    return message !== undefined;
  }

  /** The message changed (the write returned its row): its event, in the same write. */
  private logChange(type: EventType, changed: unknown, now: number): void {
    if (changed) appendEvent(this.store, messageEvent(type, toMessage(changed as MessageRow), now));
  }
}
