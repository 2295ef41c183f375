import { CollectionReference, DocumentReference, Firestore, Timestamp } from 'firebase-admin/firestore';
import { outboxItemId } from '../common/ids';
import { toMillis, toTimestamp } from '../store/firestore/firestore-time';
import { OutboxItem, OutboxStatus } from './outbox-item';

/** `outbox/{accountId}__{requestId}`: server-only, kept at least 7 days after the item ends. */
export const OUTBOX = 'outbox';
export const OPEN_STATUSES: OutboxStatus[] = ['queued', 'processing'];

type TimeField = 'leaseUntil' | 'nextAttemptAt' | 'createdAt' | 'updatedAt' | 'endedAt';

/** The item's fields as stored: its `id` is the doc id, `answer` a map, times Timestamps. */
export type OutboxDoc = Omit<OutboxItem, 'id' | TimeField> & {
  leaseUntil: Timestamp | null;
  nextAttemptAt: Timestamp;
  createdAt: Timestamp;
  updatedAt: Timestamp;
  endedAt: Timestamp | null;
  /** Server-side: this is its thread's first open item, the only one a claim may take (see thread-turn). */
  threadHead: boolean;
};

export function outboxCollection(db: Firestore): CollectionReference {
  return db.collection(OUTBOX);
}

export function outboxRef(db: Firestore, accountId: string, requestId: string): DocumentReference {
  return outboxCollection(db).doc(outboxItemId(accountId, requestId));
}

export function toOutboxDoc(item: OutboxItem, threadHead: boolean): OutboxDoc {
  const { id: _id, ...fields } = item;
  return {
    ...fields,
    leaseUntil: toTimestamp(item.leaseUntil),
    nextAttemptAt: toTimestamp(item.nextAttemptAt),
    createdAt: toTimestamp(item.createdAt),
    updatedAt: toTimestamp(item.updatedAt),
    endedAt: toTimestamp(item.endedAt),
    threadHead,
  };
}

export function toOutboxItem(id: string, doc: OutboxDoc): OutboxItem {
  const { threadHead: _head, ...fields } = doc;
  return {
    ...fields,
    id,
    answer: { ...doc.answer },
    leaseUntil: toMillis(doc.leaseUntil),
    nextAttemptAt: toMillis(doc.nextAttemptAt),
    createdAt: toMillis(doc.createdAt),
    updatedAt: toMillis(doc.updatedAt),
    endedAt: toMillis(doc.endedAt),
  };
}
