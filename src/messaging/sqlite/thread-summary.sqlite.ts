import { MessageType } from '../../media/media';
import { SqliteStore } from '../../store/sqlite/sqlite-store';
import { movesThreadSummary } from '../thread-summary';

/**
 * `movesThreadSummary` for a write about to upsert the thread row, as the 0/1 SQL parameter `@moves`
 * (SQLite binds no booleans). Read inside the same write transaction, so no writer comes between.
 */
export function summaryMoves(store: SqliteStore, threadId: string, at: number, type?: MessageType): number {
  const row = store.statement('SELECT last_message_at FROM threads WHERE thread_id = ?').get(threadId) as { last_message_at: number } | undefined;
  return Number(movesThreadSummary(row?.last_message_at, at, type));
}
