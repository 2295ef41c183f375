import { EventType, LoggedEvent } from '../event';

export interface EventRow {
  seq: number;
  event_id: string;
  type: string;
  account_id: string;
  occurred_at: number;
  subject: string;
}

export function toLoggedEvent(row: EventRow): LoggedEvent {
  return { eventId: row.event_id, type: row.type as EventType, accountId: row.account_id, occurredAt: row.occurred_at, subject: JSON.parse(row.subject) };
}
