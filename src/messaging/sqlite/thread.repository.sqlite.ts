import { Injectable } from '@nestjs/common';
import { statusRank } from '../message-status';
import { Page, PageRequest, pageOf } from '../../common/page';
import { SqliteStore } from '../../store/sqlite/sqlite-store';
import { MediaSource } from '../../whatsapp/whatsapp-provider';
import { Direction, MessageRecord, ThreadRecord } from '../message';
import { MessageRow, ThreadRow, messageJsonColumns, toMessage, toThread } from './message-rows.sqlite';
import { ThreadRepository } from '../thread.repository';
import { summaryMoves } from './thread-summary.sqlite';
import { appendEvent } from '../../events/sqlite/event-append.sqlite';
import { messageEvent, providerMessageEvent } from '../message-events';

@Injectable()
export class SqliteThreadRepository extends ThreadRepository {
  constructor(private readonly store: SqliteStore) {
    super();
  }

  async listThreads(accountId: string, page: PageRequest): Promise<Page<ThreadRecord>> {
    const after = page.after;
    const rows = this.store
      .statement(
        `SELECT * FROM threads WHERE account_id = @accountId
           AND (@key IS NULL OR last_message_at < @key OR (last_message_at = @key AND thread_id < @id))
         ORDER BY last_message_at DESC, thread_id DESC LIMIT @limit`,
      )
      .all({ accountId, key: after?.key ?? null, id: after?.id ?? null, limit: page.limit + 1 }) as ThreadRow[];
    return pageOf(rows.map(toThread), page.limit, (t) => ({ key: t.lastMessageAt, id: t.threadId }));
  }

  async getThread(threadId: string): Promise<ThreadRecord | undefined> {
    const row = this.store.statement('SELECT * FROM threads WHERE thread_id = ?').get(threadId) as ThreadRow | undefined;
    return row && toThread(row);
  }

  async listMessages(threadId: string, page: PageRequest): Promise<Page<MessageRecord>> {
    const after = page.after;
    const rows = this.store
      .statement(
        `SELECT * FROM messages WHERE thread_id = @threadId
           AND (@key IS NULL OR created_at < @key OR (created_at = @key AND message_id < @id))
         ORDER BY created_at DESC, message_id DESC LIMIT @limit`,
      )
      .all({ threadId, key: after?.key ?? null, id: after?.id ?? null, limit: page.limit + 1 }) as MessageRow[];
    return pageOf(rows.map(toMessage), page.limit, (m) => ({ key: m.createdAt, id: m.messageId }));
  }

  async getMessage(threadId: string, messageId: string): Promise<MessageRecord | undefined> {
    const row = this.store
      .statement('SELECT * FROM messages WHERE thread_id = ? AND message_id = ?')
      .get(threadId, messageId) as MessageRow | undefined;
    return row && toMessage(row);
  }

  async findByWaMessageId(accountId: string, direction: Direction, waMessageId: string): Promise<MessageRecord | undefined> {
    const row = this.store
      .statement(
        `SELECT m.* FROM message_lookup l JOIN messages m ON m.thread_id = l.thread_id AND m.message_id = l.message_id
         WHERE l.account_id = ? AND l.direction = ? AND l.wa_message_id = ?`,
      )
      .get(accountId, direction, waMessageId) as MessageRow | undefined;
    return row && toMessage(row);
  }

  storeProviderMessage(message: MessageRecord, download?: MediaSource): Promise<'stored' | 'duplicate'> {
    return this.store.writes.run(() => {
      const seen = this.store
        .statement('SELECT 1 FROM message_lookup WHERE account_id = ? AND direction = ? AND wa_message_id = ?')
        .get(message.accountId, message.direction, message.waMessageId);
      if (seen) return 'duplicate';
      const stored = this.store.statement(
        `INSERT INTO messages (thread_id, message_id, account_id, client_jid, direction, text, status, status_rank, wa_message_id,
           participant, media_type, type, media, content, created_at, updated_at, sent_at, delivered_at)
         VALUES (@threadId, @messageId, @accountId, @clientJid, @direction, @text, @status, @rank, @waMessageId,
           @participant, @mediaType, @type, @media, @content, @createdAt, @updatedAt, @sentAt, @deliveredAt)
         RETURNING *`,
      ).get({ participant: null, mediaType: null, sentAt: null, deliveredAt: null, ...message, ...messageJsonColumns(message), rank: statusRank(message.status) }) as MessageRow;
      appendEvent(this.store, messageEvent(providerMessageEvent(message), toMessage(stored), message.updatedAt));
      this.store.statement(
        `INSERT INTO message_lookup (account_id, direction, wa_message_id, thread_id, message_id)
         VALUES (@accountId, @direction, @waMessageId, @threadId, @messageId)`,
      ).run(message);
      if (download && message.type) {
        // One item per message, its id the message's (media-downloads/ claims and ends it).
        this.store.statement(
          `INSERT INTO media_downloads (id, account_id, thread_id, message_id, type, source, status, next_attempt_at, created_at, updated_at)
           VALUES (@id, @accountId, @threadId, @messageId, @type, @source, 'queued', @updatedAt, @updatedAt, @updatedAt)`,
        ).run({ ...message, id: `${message.threadId}/${message.messageId}`, source: JSON.stringify(download) });
      }
      this.store.statement(
        `INSERT INTO threads (thread_id, account_id, client_jid, last_message_at, last_message_text, last_message_direction, created_at, updated_at)
         VALUES (@threadId, @accountId, @clientJid, @createdAt, @text, @direction, @updatedAt, @updatedAt)
         ON CONFLICT (thread_id) DO UPDATE SET
           last_message_text = CASE WHEN @moves THEN excluded.last_message_text ELSE last_message_text END,
           last_message_direction = CASE WHEN @moves THEN excluded.last_message_direction ELSE last_message_direction END,
           last_message_at = CASE WHEN @moves THEN excluded.last_message_at ELSE last_message_at END,
           updated_at = excluded.updated_at`,
      ).run({ ...message, moves: summaryMoves(this.store, message.threadId, message.createdAt, message.type) });
      return 'stored';
    });
  }
}
