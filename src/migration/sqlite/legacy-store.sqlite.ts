import { AccountRecord } from '../../accounts/account';
import { AccountRow, toAccount } from '../../accounts/sqlite/account-rows.sqlite';
import { MessageRecord } from '../../messaging/message';
import { MessageRow, ThreadRow, toMessage, toThread } from '../../messaging/sqlite/message-rows.sqlite';
import { OutboxItem } from '../../outbox/outbox-item';
import { OutboxRow, toOutboxItem } from '../../outbox/sqlite/outbox-rows.sqlite';
import { SqliteStore } from '../../store/sqlite/sqlite-store';
import { LegacyAccountRow, legacyAccountOfRow, legacyMessageOfRow, legacyOutboxItemOfRow, messageParams, outboxParams } from './legacy-rows.sqlite';
import { LegacyAccount, LegacyMessage, LegacyOutboxItem, LookupEntry, LookupKey, ThreadSummary, lookupId } from '../legacy-records';
import { LayoutChange, LegacyStore } from '../legacy-store';

/** `instr(x, '__') = 0`: no `{accountId}__` prefix, the old layout's ids (see isOldLayoutId). */
const OLD_ID = (column: string) => `instr(${column}, '__') = 0`;

const SQL = {
  insertMessage: `INSERT INTO messages (thread_id, message_id, account_id, client_jid, direction, text, status, status_rank, wa_message_id,
      request_id, seq, error, participant, media_type, status_uncertain, created_at, updated_at, sent_at, failed_at, delivered_at, read_at, played_at)
    VALUES (@threadId, @messageId, @accountId, @clientJid, @direction, @text, @status, @statusRank, @waMessageId,
      @requestId, @seq, @error, @participant, @mediaType, @statusUncertain, @createdAt, @updatedAt, @sentAt, @failedAt, @deliveredAt, @readAt, @playedAt)`,
  insertLookup: (replace: boolean) => `INSERT ${replace ? 'OR REPLACE ' : ''}INTO message_lookup (account_id, direction, wa_message_id, thread_id, message_id)
    VALUES (@accountId, @direction, @waMessageId, @threadId, @messageId)`,
  putThread: `INSERT INTO threads (thread_id, account_id, client_jid, last_message_at, last_message_text, last_message_direction, next_seq, created_at, updated_at)
    VALUES (@threadId, @accountId, @clientJid, @lastMessageAt, @lastMessageText, @lastMessageDirection, @nextSeq, @createdAt, @updatedAt)
    ON CONFLICT (thread_id) DO UPDATE SET last_message_at = excluded.last_message_at, last_message_text = excluded.last_message_text,
      last_message_direction = excluded.last_message_direction, next_seq = excluded.next_seq, created_at = excluded.created_at, updated_at = excluded.updated_at`,
  insertOutboxItem: `INSERT INTO outbox (id, account_id, request_id, thread_id, message_id, message_ref, wa_message_id, to_jid, text, seq, status,
      claimed_by, claim_epoch, lease_until, attempts, next_attempt_at, last_error, request_hash, answer, created_at, updated_at, ended_at)
    VALUES (@id, @accountId, @requestId, @threadId, @messageId, @messageRef, @waMessageId, @toJid, @text, @seq, @status,
      @claimedBy, @claimEpoch, @leaseUntil, @attempts, @nextAttemptAt, @lastError, @requestHash, @answer, @createdAt, @updatedAt, @endedAt)`,
  insertAccount: `INSERT INTO accounts (account_id, name, status, phone, owner, owner_epoch, lease_until, last_disconnect_reason,
      last_disconnect_at, connected_at, qr, qr_at, reconnect_requested_at, reset_requested_at, created_at, updated_at)
    VALUES (@accountId, @name, @status, @phone, @owner, @ownerEpoch, @leaseUntil, @lastDisconnectReason,
      @lastDisconnectAt, @connectedAt, @qr, @qrAt, @reconnectRequestedAt, @resetRequestedAt, @createdAt, @updatedAt)`,
};

export class SqliteLegacyStore extends LegacyStore {
  readonly kind = 'sqlite';

  constructor(private readonly store: SqliteStore) {
    super();
  }

  private get db() {
    return this.store.db;
  }

  /** Old threads can hold messages without a thread row, and the reverse: both count. */
  async oldThreadIds(): Promise<string[]> {
    const rows = this.db
      .prepare(`SELECT thread_id FROM threads WHERE ${OLD_ID('thread_id')} UNION SELECT DISTINCT thread_id FROM messages WHERE ${OLD_ID('thread_id')}`)
      .all() as Array<{ thread_id: string }>;
    return rows.map((row) => row.thread_id);
  }

  async oldMessages(oldThreadId: string): Promise<LegacyMessage[]> {
    return (this.db.prepare('SELECT * FROM messages WHERE thread_id = ?').all(oldThreadId) as MessageRow[]).map(legacyMessageOfRow);
  }

  async oldOutboxItems(): Promise<LegacyOutboxItem[]> {
    return (this.db.prepare(`SELECT * FROM outbox WHERE ${OLD_ID('id')}`).all() as Array<Record<string, unknown>>).map(legacyOutboxItemOfRow);
  }

  async legacyAccounts(): Promise<LegacyAccount[]> {
    if (!this.hasLegacyAccountsTable()) return [];
    return (this.db.prepare('SELECT * FROM wa_accounts').all() as LegacyAccountRow[]).map(legacyAccountOfRow);
  }

  async messages(threadId: string, messageIds: string[]): Promise<Map<string, MessageRecord>> {
    const rows = this.db
      .prepare('SELECT * FROM messages WHERE thread_id = ? AND message_id IN (SELECT value FROM json_each(?))')
      .all(threadId, JSON.stringify(messageIds)) as MessageRow[];
    return new Map(rows.map((row) => [row.message_id, toMessage(row)]));
  }

  async lookups(keys: LookupKey[]): Promise<Map<string, LookupEntry>> {
    const find = this.db.prepare('SELECT thread_id, message_id FROM message_lookup WHERE account_id = ? AND direction = ? AND wa_message_id = ?');
    const entries = new Map<string, LookupEntry>();
    for (const key of keys) {
      const row = find.get(key.accountId, key.direction, key.waMessageId) as { thread_id: string; message_id: string } | undefined;
      if (row) entries.set(lookupId(key), { accountId: key.accountId, direction: key.direction, waMessageId: key.waMessageId, threadId: row.thread_id, messageId: row.message_id });
    }
    return entries;
  }

  async thread(threadId: string): Promise<ThreadSummary | undefined> {
    const row = this.db.prepare('SELECT * FROM threads WHERE thread_id = ?').get(threadId) as (ThreadRow & { next_seq: number }) | undefined;
    return row && { ...toThread(row), nextSeq: row.next_seq };
  }

  async newestMessage(threadId: string): Promise<MessageRecord | undefined> {
    const row = this.db.prepare('SELECT * FROM messages WHERE thread_id = ? ORDER BY created_at DESC, message_id DESC LIMIT 1').get(threadId) as MessageRow | undefined;
    return row && toMessage(row);
  }

  async highestSeq(threadId: string): Promise<number> {
    const row = this.db.prepare('SELECT MAX(seq) AS seq FROM messages WHERE thread_id = ?').get(threadId) as { seq: number | null };
    return row.seq ?? 0;
  }

  async outboxItems(ids: string[]): Promise<Map<string, OutboxItem>> {
    const rows = this.db.prepare('SELECT * FROM outbox WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify(ids)) as OutboxRow[];
    return new Map(rows.map((row) => [row.id, toOutboxItem(row)]));
  }

  async account(accountId: string): Promise<AccountRecord | undefined> {
    const row = this.db.prepare('SELECT * FROM accounts WHERE account_id = ?').get(accountId) as AccountRow | undefined;
    return row && toAccount(row);
  }

  async liveHolders(now: number): Promise<string[]> {
    const rows = this.db.prepare('SELECT DISTINCT owner FROM accounts WHERE owner IS NOT NULL AND lease_until > ? ORDER BY owner').all(now) as Array<{ owner: string }>;
    return rows.map((row) => row.owner);
  }

  /** One IMMEDIATE transaction; a plain INSERT fails on an existing row, so nothing is overwritten. */
  async write(changes: LayoutChange[]): Promise<void> {
    this.store.transaction(() => {
      for (const change of changes) this.apply(change);
    });
  }

  /** sqlite decides whose turn it is at claim time (`NOT EXISTS` an earlier open item): nothing to keep. */
  async settleThreadTurn(): Promise<number> {
    return 0;
  }

  async close(): Promise<void> {
    this.store.close();
  }

  private apply(change: LayoutChange): void {
    const db = this.db;
    switch (change.kind) {
      case 'copyMessage':
        db.prepare(SQL.insertMessage).run(messageParams(change.message));
        db.prepare(SQL.insertLookup(change.replaceLookup)).run(change.message);
        return;
      case 'putThread':
        db.prepare(SQL.putThread).run(change.thread);
        return;
      case 'createOutboxItem':
        db.prepare(SQL.insertOutboxItem).run(outboxParams(change.item));
        return;
      case 'createAccount':
        db.prepare(SQL.insertAccount).run(change.account);
        return;
      case 'fillAccount':
        db.prepare('UPDATE accounts SET name = @name, phone = @phone, updated_at = @updatedAt WHERE account_id = @accountId').run(change);
        return;
      case 'deleteOldMessage':
        db.prepare('DELETE FROM messages WHERE thread_id = ? AND message_id = ?').run(change.oldThreadId, change.messageId);
        return;
      case 'deleteOldThread':
        db.prepare('DELETE FROM threads WHERE thread_id = ?').run(change.oldThreadId);
        return;
      case 'deleteOldOutboxItem':
        db.prepare('DELETE FROM outbox WHERE id = ?').run(change.requestId);
        return;
      case 'deleteLegacyAccount':
        db.prepare('DELETE FROM wa_accounts WHERE account_id = ?').run(change.accountId);
        // `accounts` is the only accounts table (CONTRACT): once the legacy one is empty, it goes.
        if (!db.prepare('SELECT 1 FROM wa_accounts LIMIT 1').get()) db.exec('DROP TABLE wa_accounts');
        return;
    }
  }

  private hasLegacyAccountsTable(): boolean {
    return !!this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'wa_accounts'").get();
  }
}
