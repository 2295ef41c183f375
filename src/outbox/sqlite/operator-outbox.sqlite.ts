import { Statement } from 'better-sqlite3';
import { AccountLoggedOut } from '../../common/errors';
import { outboxItemId } from '../../common/ids';
import { Page, PageRequest, pageOf } from '../../common/page';
import { tally } from '../../common/tally';
import { appendEvent } from '../../events/sqlite/event-append.sqlite';
import { messageEvent } from '../../messaging/message-events';
import { statusRank } from '../../messaging/message-status';
import { MessageRow, toMessage } from '../../messaging/sqlite/message-rows.sqlite';
import { SqliteStore } from '../../store/sqlite/sqlite-store';
import { RetryOutcome, WATCHED_OUTBOX_STATUSES, WatchedOutboxStatus } from '../failed-send-retry';
import { OutboxItem, OutboxStatus } from '../outbox-item';
import { OutboxRow, toOutboxItem } from './outbox-rows.sqlite';

/**
 * An account's items by their primary key `{accountId}__{requestId}`: '`' follows '_', so the range holds
 * exactly the ids that start with `{accountId}__`; account_id keeps out an account whose id extends this one.
 */
const OF_ACCOUNT = 'id >= @idFrom AND id < @idTo AND account_id = @accountId';
const rangeOf = (accountId: string) => ({ accountId, idFrom: `${accountId}__`, idTo: `${accountId}_\`` });

/** What an operator reads and does on the outbox (the console): counts, lists and the retry of a failed send. */
export class SqliteOperatorOutbox {
  private readonly statements: Record<'count' | 'list' | 'find' | 'account' | 'takeSeq' | 'requeueItem' | 'messageRank' | 'requeueMessage', Statement>;

  constructor(private readonly store: SqliteStore) {
    this.statements = {
      // Over the account's items kept (open ones and those ended within retention): cached by the caller.
      count: store.statement(`SELECT status, COUNT(*) AS n FROM outbox WHERE ${OF_ACCOUNT} AND status IN ('queued', 'processing', 'failed') GROUP BY status`),
      list: store.statement(`SELECT * FROM outbox WHERE ${OF_ACCOUNT} AND (@status IS NULL OR status = @status) AND id > @after ORDER BY id LIMIT @limit`),
      find: store.statement('SELECT * FROM outbox WHERE id = ?'),
      account: store.statement('SELECT status FROM accounts WHERE account_id = ?'),
      takeSeq: store.statement('UPDATE threads SET next_seq = next_seq + 1 WHERE thread_id = ? RETURNING next_seq - 1 AS seq'),
      requeueItem: store.statement(
        `UPDATE outbox SET status = 'queued', seq = @seq, attempts = 0, next_attempt_at = @now, last_error = NULL, failure_reason = NULL,
           ended_at = NULL, lease_until = NULL, claimed_by = NULL, claim_epoch = NULL, updated_at = @now
         WHERE id = @id AND status = 'failed' RETURNING *`,
      ),
      messageRank: store.statement('SELECT status_rank AS rank FROM messages WHERE thread_id = ? AND message_id = ?'),
      requeueMessage: store.statement(
        `UPDATE messages SET status = 'queued', status_rank = @rank, failed_at = NULL, error = NULL, failure_reason = NULL, updated_at = @now
         WHERE thread_id = @threadId AND message_id = @messageId RETURNING *`,
      ),
    };
  }

  async countOf(accountId: string): Promise<Record<WatchedOutboxStatus, number>> {
    return tally(WATCHED_OUTBOX_STATUSES, this.statements.count.all(rangeOf(accountId)) as Array<{ status: string; n: number }>);
  }

  async list(accountId: string, status: OutboxStatus | undefined, page: PageRequest): Promise<Page<OutboxItem>> {
    const after = page.after ? outboxItemId(accountId, page.after.id) : '';
    const rows = this.statements.list.all({ ...rangeOf(accountId), status: status ?? null, after, limit: page.limit + 1 }) as OutboxRow[];
    return pageOf(rows.map(toOutboxItem), page.limit, (item) => ({ key: 0, id: item.requestId }));
  }

  retryFailed(accountId: string, requestId: string, now: number): Promise<RetryOutcome> {
    return this.store.writes.run((): RetryOutcome => {
      const found = this.statements.find.get(outboxItemId(accountId, requestId)) as OutboxRow | undefined;
      if (!found) return { kind: 'notFound' };
      if (found.status !== 'failed') return { kind: 'notFailed', status: found.status as OutboxStatus };
      const account = this.statements.account.get(accountId) as { status: string } | undefined;
      if (account?.status === 'logged_out') throw new AccountLoggedOut(accountId);
      const message = this.statements.messageRank.get(found.thread_id, found.message_id) as { rank: number } | undefined;
      // A receipt came after it failed: it reached WhatsApp, and sending it again would send it twice.
      if (message && message.rank > statusRank('failed')) return { kind: 'notFailed', status: 'sent' };
      const { seq } = this.statements.takeSeq.get(found.thread_id) as { seq: number };
      const item = toOutboxItem(this.statements.requeueItem.get({ id: found.id, seq, now }) as OutboxRow);
      const requeued = this.statements.requeueMessage.get({ threadId: item.threadId, messageId: item.messageId, now, rank: statusRank('queued') }) as MessageRow | undefined;
      if (requeued) appendEvent(this.store, messageEvent('message.accepted', toMessage(requeued), now));
      return { kind: 'queued', item };
    });
  }
}
