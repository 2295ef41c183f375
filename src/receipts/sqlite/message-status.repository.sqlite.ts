import { Injectable } from '@nestjs/common';
import { Statement } from 'better-sqlite3';
import { SqliteStore } from '../../store/sqlite/sqlite-store';
import { STATUS_TIME_FIELD, statusRank } from '../../messaging/message-status';
import { StatusOutcome } from '../../messaging/message-status';
import { MessageStatusRepository, StatusReport } from '../message-status.repository';
import { appendEvent } from '../../events/sqlite/event-append.sqlite';
import { STATUS_EVENT, messageEvent } from '../../messaging/message-events';
import { MessageRow, toMessage } from '../../messaging/sqlite/message-rows.sqlite';

const TIME_COLUMN = { sentAt: 'sent_at', failedAt: 'failed_at', deliveredAt: 'delivered_at', readAt: 'read_at', playedAt: 'played_at' } as const;

@Injectable()
export class SqliteMessageStatusRepository extends MessageStatusRepository {
  private readonly find: Statement;
  private readonly advanceBy = new Map<string, Statement>();

  constructor(private readonly store: SqliteStore) {
    super();
    this.find = store.db.prepare('SELECT thread_id, message_id FROM message_lookup WHERE account_id = ? AND direction = ? AND wa_message_id = ?');
    for (const [status, field] of Object.entries(STATUS_TIME_FIELD)) {
      const column = TIME_COLUMN[field];
      // The status moves only forward; its time is recorded the first time it is reached, even when a
      // higher status came first (a `sent` after `delivered` still tells when it was sent).
      this.advanceBy.set(
        status,
        store.db.prepare(
          `UPDATE messages SET
             status = CASE WHEN status_rank < @rank THEN @status ELSE status END,
             status_rank = MAX(status_rank, @rank),
             -- A real receipt that raises a status migrated from the old code replaces the doubt with evidence.
             status_uncertain = CASE WHEN status_rank < @rank THEN NULL ELSE status_uncertain END,
             ${column} = COALESCE(${column}, @at),
             error = CASE WHEN status_rank < @rank AND @reason IS NOT NULL THEN @detail ELSE error END,
             failure_reason = CASE WHEN status_rank < @rank AND @reason IS NOT NULL THEN @reason ELSE failure_reason END,
             updated_at = @at
           WHERE thread_id = @thread_id AND message_id = @message_id AND (status_rank < @rank OR ${column} IS NULL)
           RETURNING *`,
        ),
      );
    }
  }

  advance(report: StatusReport): Promise<StatusOutcome> {
    return this.store.writes.run(() => {
      const target = this.find.get(report.accountId, report.direction, report.waMessageId) as { thread_id: string; message_id: string } | undefined;
      if (!target) return 'unknown';
      const updated = this.advanceBy.get(report.status)!.get({
        ...target,
        status: report.status,
        rank: statusRank(report.status),
        at: report.at,
        reason: report.failure?.reason ?? null,
        detail: report.failure?.detail ?? null,
      }) as MessageRow | undefined;
      // Any change is news, also a time first recorded below the status (a `delivered` after `read`).
      if (updated) appendEvent(this.store, messageEvent(STATUS_EVENT[report.status], toMessage(updated), report.at));
      return updated?.status === report.status ? 'advanced' : 'unchanged';
    });
  }
}
