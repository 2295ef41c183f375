import { Injectable } from '@nestjs/common';
import { SqliteStore } from '../../store/sqlite/sqlite-store';
import { AccountActivity, LastMessageTimes } from '../account-activity';

/**
 * Per thread of the account (threads_by_account), its newest message of each direction, walked back from
 * the newest through messages_by_time; messages has no account index, and one would cost every write.
 */
const latestOf = (direction: 'inbound' | 'outbound') =>
  `MAX((SELECT m.created_at FROM messages m WHERE m.thread_id = t.thread_id AND m.direction = '${direction}' ORDER BY m.created_at DESC LIMIT 1))`;
const LAST_MESSAGE_TIMES = `SELECT ${latestOf('inbound')} AS inbound, ${latestOf('outbound')} AS outbound FROM threads t WHERE t.account_id = ?`;

@Injectable()
export class SqliteAccountActivity extends AccountActivity {
  constructor(private readonly store: SqliteStore) {
    super();
  }

  async lastMessageTimes(accountId: string): Promise<LastMessageTimes> {
    const row = this.store.statement(LAST_MESSAGE_TIMES).get(accountId) as { inbound: number | null; outbound: number | null };
    return { inbound: row.inbound, outbound: row.outbound };
  }
}
