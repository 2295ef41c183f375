import { Injectable } from '@nestjs/common';
import { Page, PageRequest, pageOf } from '../common/page';
import { SqliteStore } from '../store/sqlite/sqlite-store';
import { Direction, MessageRecord, ThreadRecord } from './message';
import { MessageRow, ThreadRow, toMessage, toThread } from './message-rows.sqlite';
import { ThreadRepository } from './thread.repository';

@Injectable()
export class SqliteThreadRepository extends ThreadRepository {
  constructor(private readonly store: SqliteStore) {
    super();
  }

  async listThreads(accountId: string, page: PageRequest): Promise<Page<ThreadRecord>> {
    const after = page.after;
    const rows = this.store.db
      .prepare(
        `SELECT * FROM threads WHERE account_id = @accountId
           AND (@key IS NULL OR last_message_at < @key OR (last_message_at = @key AND thread_id < @id))
         ORDER BY last_message_at DESC, thread_id DESC LIMIT @limit`,
      )
      .all({ accountId, key: after?.key ?? null, id: after?.id ?? null, limit: page.limit + 1 }) as ThreadRow[];
    return pageOf(rows.map(toThread), page.limit, (t) => ({ key: t.lastMessageAt, id: t.threadId }));
  }

  async getThread(threadId: string): Promise<ThreadRecord | undefined> {
    const row = this.store.db.prepare('SELECT * FROM threads WHERE thread_id = ?').get(threadId) as ThreadRow | undefined;
    return row && toThread(row);
  }

  async listMessages(threadId: string, page: PageRequest): Promise<Page<MessageRecord>> {
    const after = page.after;
    const rows = this.store.db
      .prepare(
        `SELECT * FROM messages WHERE thread_id = @threadId
           AND (@key IS NULL OR created_at < @key OR (created_at = @key AND message_id < @id))
         ORDER BY created_at DESC, message_id DESC LIMIT @limit`,
      )
      .all({ threadId, key: after?.key ?? null, id: after?.id ?? null, limit: page.limit + 1 }) as MessageRow[];
    return pageOf(rows.map(toMessage), page.limit, (m) => ({ key: m.createdAt, id: m.messageId }));
  }

  async getMessage(threadId: string, messageId: string): Promise<MessageRecord | undefined> {
    const row = this.store.db
      .prepare('SELECT * FROM messages WHERE thread_id = ? AND message_id = ?')
      .get(threadId, messageId) as MessageRow | undefined;
    return row && toMessage(row);
  }

  async findByWaMessageId(accountId: string, direction: Direction, waMessageId: string): Promise<MessageRecord | undefined> {
    const row = this.store.db
      .prepare(
        `SELECT m.* FROM message_lookup l JOIN messages m ON m.thread_id = l.thread_id AND m.message_id = l.message_id
         WHERE l.account_id = ? AND l.direction = ? AND l.wa_message_id = ?`,
      )
      .get(accountId, direction, waMessageId) as MessageRow | undefined;
    return row && toMessage(row);
  }
}
