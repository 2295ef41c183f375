import { CollectionReference, DocumentReference, Firestore, Timestamp } from 'firebase-admin/firestore';
import { outboxItemId } from '../../common/ids';
import { toMillis, toTimestamp } from '../../store/firestore/firestore-time';
import { OPEN_OUTBOX_STATUSES, OUTBOX_RETENTION_MS, OutboxItem, OutboxStatus } from '../outbox-item';

/**
 * `outbox/{accountId}__{requestId}`: server-only, kept at least 7 days after the item ends. Firestore's
 * TTL policy on `expireAt` (firestore.indexes.json) deletes it after OUTBOX_RETENTION_MS, typically
 * within a day; an open item has no `expireAt`, so TTL never touches it.
 */
export const OUTBOX = 'outbox';
export const OPEN_STATUSES: OutboxStatus[] = [...OPEN_OUTBOX_STATUSES];

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
  /**
   * Server-side: from when a claim may take the item, once it holds its thread's turn: `nextAttemptAt`
   * while queued, the lease's end while processing (its claimant may have died), null once ended; the
   * claim rule (claim-rule.ts) as one field. One range field lets one query find both the due items and
   * the run-out claims: two queries did, a read each even when empty, at every poll of every account.
   */
  claimableAt: Timestamp | null;
  /** Server-side, set with `endedAt`: when Firestore's TTL may delete the ended item. */
  expireAt?: Timestamp;
};

export function claimableAtOf(item: Pick<OutboxItem, 'status' | 'nextAttemptAt' | 'leaseUntil'>): Timestamp | null {
  if (item.status === 'queued') return toTimestamp(item.nextAttemptAt);
  if (item.status === 'processing') return toTimestamp(item.leaseUntil);
  return null;
}

/** The fields every end of an item writes, in the same write that ends it. */
export function endedAtFields(now: number): { endedAt: Timestamp; expireAt: Timestamp } {
  return { endedAt: toTimestamp(now), expireAt: toTimestamp(now + OUTBOX_RETENTION_MS) };
}

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
    threadHead,
    claimableAt: claimableAtOf(item),
    ...(item.endedAt === null ? { endedAt: null } : endedAtFields(item.endedAt)),
  };
}

export function toOutboxItem(id: string, doc: OutboxDoc): OutboxItem {
  const { threadHead: _head, claimableAt: _claimableAt, expireAt: _expireAt, ...fields } = doc;
  return {
    ...fields,
    id,
    answer: { ...doc.answer },
    leaseUntil: toMillis(doc.leaseUntil),
    nextAttemptAt: toMillis(doc.nextAttemptAt),
    createdAt: toMillis(doc.createdAt),
    updatedAt: toMillis(doc.updatedAt),
    endedAt: toMillis(doc.endedAt),
    // Items that ended before reasons were recorded have none.
    failureReason: doc.failureReason ?? null,
    // Items accepted before phones were bound have none: they go out from the phone linked now.
    boundPhone: doc.boundPhone ?? null,
  };
}
