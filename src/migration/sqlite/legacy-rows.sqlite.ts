import { MessageRow } from '../../messaging/sqlite/message-rows.sqlite';
import { MessageRecord } from '../../messaging/message';
import { statusRank } from '../../messaging/message-status';
import { OutboxItem } from '../../outbox/outbox-item';
import { dropUndefined, legacyCount, legacyDirection, legacyString, legacyTime } from '../legacy-fields';
import { LegacyAccount, LegacyMessage, LegacyOutboxItem } from '../legacy-records';

/**
 * The old sqlite layout, as this migration defines it (docs/migration.md): the same tables as
 * migrations.ts, but a message's and a thread's `thread_id` is the bare remote JID, an old outbox row's
 * `id` is the request id alone (no `__`), and accounts may also sit in a `wa_accounts` table
 * (`account_id` primary key, `name`, `phone`, `status`, `created_at`, `updated_at`, times in ms).
 */

export interface LegacyAccountRow {
  account_id: string;
  name?: string | null;
  phone?: string | null;
  status?: string | null;
  created_at?: number | null;
  updated_at?: number | null;
}

export function legacyMessageOfRow(row: MessageRow): LegacyMessage {
  return dropUndefined({
    oldThreadId: row.thread_id,
    messageId: row.message_id,
    accountId: legacyString(row.account_id),
    direction: legacyDirection(row.direction, undefined),
    text: row.text,
    status: legacyString(row.status),
    waMessageId: legacyString(row.wa_message_id),
    requestId: legacyString(row.request_id),
    error: legacyString(row.error),
    participant: legacyString(row.participant),
    mediaType: legacyString(row.media_type),
    createdAt: legacyTime(row.created_at),
    updatedAt: legacyTime(row.updated_at),
    sentAt: legacyTime(row.sent_at),
    failedAt: legacyTime(row.failed_at),
    deliveredAt: legacyTime(row.delivered_at),
    readAt: legacyTime(row.read_at),
    playedAt: legacyTime(row.played_at),
  });
}

export function legacyOutboxItemOfRow(row: Record<string, unknown>): LegacyOutboxItem {
  return dropUndefined({
    requestId: String(row.id),
    accountId: legacyString(row.account_id),
    messageRef: legacyString(row.message_ref),
    status: legacyString(row.status),
    attempts: legacyCount(row.attempts),
    nextAttemptAt: legacyTime(row.next_attempt_at),
    lastError: legacyString(row.last_error),
    createdAt: legacyTime(row.created_at),
    updatedAt: legacyTime(row.updated_at),
    endedAt: legacyTime(row.ended_at),
  });
}

export function legacyAccountOfRow(row: LegacyAccountRow): LegacyAccount {
  return dropUndefined({
    accountId: row.account_id,
    name: legacyString(row.name),
    phone: legacyString(row.phone),
    status: legacyString(row.status),
    createdAt: legacyTime(row.created_at),
    updatedAt: legacyTime(row.updated_at),
  });
}

/** Named parameters for a full `messages` row; absent optional fields are NULL. */
export function messageParams(message: MessageRecord): Record<string, unknown> {
  const optional = { requestId: null, seq: null, error: null, participant: null, mediaType: null, sentAt: null, failedAt: null, deliveredAt: null, readAt: null, playedAt: null };
  return { ...optional, ...dropUndefined(message), statusRank: statusRank(message.status), statusUncertain: message.statusUncertain === undefined ? null : Number(message.statusUncertain) };
}

export function outboxParams(item: OutboxItem): Record<string, unknown> {
  return { ...item, answer: JSON.stringify(item.answer) };
}
