import { FieldValue, Timestamp, Transaction, WriteBatch } from 'firebase-admin/firestore';
import { FirestoreStore } from '../../store/firestore/firestore-store';
import { toMillis, toTimestamp } from '../../store/firestore/firestore-time';
import { EventType, LoggedEvent } from '../event';

export const EVENTS = 'events';

/**
 * `events/{eventId}`. `committedAt` is the commit's own time (a server timestamp resolved in the same
 * commit as the change), so it orders the stream as the writes happened; `occurredAt` is the domain's.
 * The TTL policy on `expireAt` (firestore.indexes.json) deletes an event after the retention.
 */
export interface EventDoc {
  type: EventType;
  accountId: string;
  occurredAt: Timestamp;
  subject: Record<string, unknown>;
  committedAt: Timestamp;
  expireAt: Timestamp;
}

/**
 * Adds `event` to the caller's transaction or batch, so it commits with the change it reports or not at
 * all. `create`: an event id is never written twice.
 */
export function appendEventIn(store: FirestoreStore, writer: Transaction | WriteBatch, event: LoggedEvent): void {
  const ref = store.db.collection(EVENTS).doc(event.eventId);
  const doc = {
    type: event.type,
    accountId: event.accountId,
    occurredAt: toTimestamp(event.occurredAt),
    subject: event.subject,
    committedAt: FieldValue.serverTimestamp(),
    expireAt: toTimestamp(event.occurredAt + store.eventRetentionMs),
  };
  // The two writers' `create` overloads differ only in their return type.
  (writer as WriteBatch).create(ref, doc);
}

export function toLoggedEvent(eventId: string, doc: EventDoc): LoggedEvent {
  return { eventId, type: doc.type, accountId: doc.accountId, occurredAt: toMillis(doc.occurredAt), subject: doc.subject };
}
