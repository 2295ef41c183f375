import { Statement } from 'better-sqlite3';
import { AccountLoggedOut, AccountNotFound } from '../../common/errors';
import { outboxItemId } from '../../common/ids';
import { statusRank } from '../../messaging/message-status';
import { summaryMoves } from '../../messaging/sqlite/thread-summary.sqlite';
import { SqliteStore } from '../../store/sqlite/sqlite-store';
import { AcceptedSend, messageMediaOf, summaryTextOf } from '../../messaging/send-acceptance';
import { AcceptOutcome } from '../outbox-item';
import { outboxItemFor } from '../outbox-item.factory';
import { OutboxRow, toOutboxItem } from './outbox-rows.sqlite';
import { appendEvent } from '../../events/sqlite/event-append.sqlite';
import { messageEvent } from '../../messaging/message-events';
import { MessageRow, messageJsonColumns, toMessage } from '../../messaging/sqlite/message-rows.sqlite';

/**
 * The accept write on sqlite: message (`queued`, with the thread's next sequence number), lookup, thread
 * summary and outbox item. Runs inside a transaction's savepoint (group commit), on whichever thread
 * holds the connection: a throw anywhere undoes this send's rows only.
 */
export class SqliteAcceptWrite {
  private readonly statements: Record<'findItem' | 'account' | 'bumpThread' | 'insertMessage' | 'insertLookup' | 'insertItem', Statement>;

  constructor(private readonly store: SqliteStore) {
    this.statements = {
      findItem: store.statement('SELECT * FROM outbox WHERE id = ?'),
      account: store.statement('SELECT status, phone FROM accounts WHERE account_id = ?'),
      // The thread's next sequence number is taken in the same write, so send order survives any clock.
      bumpThread: store.statement(
        `INSERT INTO threads (thread_id, account_id, client_jid, last_message_at, last_message_text, last_message_direction,
           next_seq, created_at, updated_at)
         VALUES (@threadId, @accountId, @clientJid, @now, @summaryText, 'outbound', 2, @now, @now)
         ON CONFLICT (thread_id) DO UPDATE SET
           next_seq = next_seq + 1,
           last_message_text = CASE WHEN @moves THEN excluded.last_message_text ELSE last_message_text END,
           last_message_direction = CASE WHEN @moves THEN 'outbound' ELSE last_message_direction END,
           last_message_at = CASE WHEN @moves THEN excluded.last_message_at ELSE last_message_at END,
           updated_at = excluded.updated_at
         RETURNING next_seq - 1 AS seq`,
      ),
      insertMessage: store.statement(
        `INSERT INTO messages (thread_id, message_id, account_id, client_jid, direction, text, status, status_rank,
           wa_message_id, request_id, seq, type, media, content, created_at, updated_at)
         VALUES (@threadId, @messageId, @accountId, @clientJid, 'outbound', @text, 'queued', @rank,
           @waMessageId, @requestId, @seq, @type, @media, @content, @now, @now)
         RETURNING *`,
      ),
      insertLookup: store.statement(
        `INSERT INTO message_lookup (account_id, direction, wa_message_id, thread_id, message_id)
         VALUES (@accountId, 'outbound', @waMessageId, @threadId, @messageId)`,
      ),
      insertItem: store.statement(
        `INSERT INTO outbox (id, account_id, request_id, thread_id, message_id, message_ref, wa_message_id, to_jid, text, media, bound_phone, seq,
           status, attempts, next_attempt_at, request_hash, answer, created_at, updated_at)
         VALUES (@id, @accountId, @requestId, @threadId, @messageId, @messageRef, @waMessageId, @toJid, @text, @media, @boundPhone, @seq,
           @status, @attempts, @nextAttemptAt, @requestHash, @answer, @createdAt, @updatedAt)`,
      ),
    };
  }

  apply(send: AcceptedSend): AcceptOutcome {
    const existing = this.statements.findItem.get(outboxItemId(send.accountId, send.requestId)) as OutboxRow | undefined;
    if (existing) return { kind: 'existing', item: toOutboxItem(existing) };
    const account = this.statements.account.get(send.accountId) as { status: string; phone: string | null } | undefined;
    if (!account) throw new AccountNotFound(send.accountId);
    // In the same write: a logout landing just before cannot let the send slip through.
    if (account.status === 'logged_out') throw new AccountLoggedOut(send.accountId);
    const moves = summaryMoves(this.store, send.threadId, send.now);
    const { seq } = this.statements.bumpThread.get({ ...send, summaryText: summaryTextOf(send), moves }) as { seq: number };
    const message = this.statements.insertMessage.get({ ...send, ...messageJsonColumns(messageMediaOf(send)), seq, rank: statusRank('queued') }) as MessageRow;
    appendEvent(this.store, messageEvent('message.accepted', toMessage(message), send.now));
    this.statements.insertLookup.run(send);
    const item = outboxItemFor(send, seq, account.phone);
    this.statements.insertItem.run({ ...item, media: item.media ? JSON.stringify(item.media) : null, answer: JSON.stringify(item.answer) });
    return { kind: 'accepted', item };
  }
}
