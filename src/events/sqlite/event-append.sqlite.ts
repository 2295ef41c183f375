import { SqliteStore } from '../../store/sqlite/sqlite-store';
import { LoggedEvent } from '../event';

const APPEND = `INSERT INTO events (event_id, type, account_id, occurred_at, subject) VALUES (@eventId, @type, @accountId, @occurredAt, @subject)`;

/**
 * Appends to the event log inside the caller's write: the adapters of the changes an event reports call
 * it in the same transaction, so a change rolled back leaves no event and none is written without it.
 */
export function appendEvent(store: SqliteStore, event: LoggedEvent): void {
  store.statement(APPEND).run({ ...event, subject: JSON.stringify(event.subject) });
}
