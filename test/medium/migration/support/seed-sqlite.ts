import { SqliteConnection } from '../../../../src/store/sqlite/sqlite-database';
import { OLD_MESSAGES, OLD_OUTBOX, OLD_THREAD_DOCS, WA_ACCOUNTS, oldMessagePath } from './old-layout';

/**
 * The old layout in sqlite, the shape docs/migration.md defines: today's tables with a bare-JID
 * `thread_id`, outbox rows keyed by the request id alone, a `wa_accounts` table, and one lookup row
 * pointing into an old thread. The old rows fill the NOT NULL columns as the old code would have (a
 * rank it computed, an empty hash and answer).
 */
export function seedOldSqlite(db: SqliteConnection): void {
  db.transaction(() => {
    const insertMessage = db.prepare(
      `INSERT INTO messages (thread_id, message_id, account_id, client_jid, direction, text, status, status_rank, wa_message_id,
         created_at, updated_at, sent_at, delivered_at, read_at)
       VALUES (@oldThreadId, @messageId, @accountId, @oldThreadId, @direction, @text, @status, 0, @waMessageId, @createdAt, @createdAt, @sentAt, @deliveredAt, @readAt)`,
    );
    // The old rows have no WhatsApp id for an unsent message; the column is NOT NULL, so it held ''.
    for (const m of OLD_MESSAGES) insertMessage.run({ sentAt: null, deliveredAt: null, readAt: null, ...m, waMessageId: m.waMessageId ?? '' });
    // A lookup row pointing into an old thread (some old rows have one): the migration repoints it.
    db.prepare("INSERT INTO message_lookup VALUES ('acc2', 'inbound', 'WAIN2', @thread, 'm-in-2')").run({ thread: OLD_MESSAGES.find((m) => m.waMessageId === 'WAIN2')!.oldThreadId });
    const insertThread = db.prepare(
      `INSERT INTO threads (thread_id, account_id, client_jid, last_message_at, last_message_text, last_message_direction, created_at, updated_at)
       VALUES (@oldThreadId, @accountId, @oldThreadId, @lastMessageAt, @lastMessageText, 'outbound', @lastMessageAt, @lastMessageAt)`,
    );
    for (const t of OLD_THREAD_DOCS) insertThread.run(t);
    const insertItem = db.prepare(
      `INSERT INTO outbox (id, account_id, request_id, thread_id, message_id, message_ref, wa_message_id, to_jid, text, seq, status,
         claimed_by, lease_until, attempts, next_attempt_at, request_hash, answer, created_at, updated_at)
       VALUES (@requestId, @accountId, @requestId, @oldThreadId, @messageId, @messageRef, '', @oldThreadId, '', 0, @status,
         @claimedBy, @leaseUntil, @attempts, @createdAt, '', '{}', @createdAt, @createdAt)`,
    );
    for (const o of OLD_OUTBOX) insertItem.run({ claimedBy: null, leaseUntil: null, ...o, messageRef: oldMessagePath(o.oldThreadId, o.messageId) });
    db.exec('CREATE TABLE wa_accounts (account_id TEXT PRIMARY KEY, name TEXT, phone TEXT, status TEXT, created_at INTEGER, updated_at INTEGER)');
    const insertAccount = db.prepare('INSERT INTO wa_accounts VALUES (@accountId, @name, @phone, @status, @createdAt, @updatedAt)');
    for (const a of WA_ACCOUNTS) insertAccount.run({ name: null, phone: null, status: null, ...a });
  })();
}
