import { DocumentReference, Firestore, Timestamp } from 'firebase-admin/firestore';
import { outboxItemId } from '../common/ids';
import { toMillis, toTimestamp } from '../store/firestore/firestore-time';
import { OutboxItem } from './outbox-item';

/** `outbox/{accountId}__{requestId}`: server-only, kept at least 7 days after the item ends. */
export const OUTBOX = 'outbox';

type TimeField = 'leaseUntil' | 'nextAttemptAt' | 'createdAt' | 'updatedAt' | 'endedAt';

/** The item's fields as stored: its `id` is the doc id, `answer` a map, times Timestamps. */
export type OutboxDoc = Omit<OutboxItem, 'id' | TimeField> & {
  leaseUntil: Timestamp | null;
  nextAttemptAt: Timestamp;
  createdAt: Timestamp;
  updatedAt: Timestamp;
  endedAt: Timestamp | null;
};

export function outboxRef(db: Firestore, accountId: string, requestId: string): DocumentReference {
  return db.collection(OUTBOX).doc(outboxItemId(accountId, requestId));
}

export function toOutboxDoc(item: OutboxItem): OutboxDoc {
  const { id: _id, ...fields } = item;
  return {
    ...fields,
    leaseUntil: toTimestamp(item.leaseUntil),
    nextAttemptAt: toTimestamp(item.nextAttemptAt),
    createdAt: toTimestamp(item.createdAt),
    updatedAt: toTimestamp(item.updatedAt),
    endedAt: toTimestamp(item.endedAt),
  };
}

export function toOutboxItem(id: string, doc: OutboxDoc): OutboxItem {
  return {
    ...doc,
    id,
    answer: { ...doc.answer },
    leaseUntil: toMillis(doc.leaseUntil),
    nextAttemptAt: toMillis(doc.nextAttemptAt),
    createdAt: toMillis(doc.createdAt),
    updatedAt: toMillis(doc.updatedAt),
    endedAt: toMillis(doc.endedAt),
  };
}
