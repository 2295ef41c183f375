import { CollectionReference, DocumentReference, Firestore, Timestamp } from 'firebase-admin/firestore';
import { FirestoreStore } from '../../store/firestore/firestore-store';
import { toMillis, toTimestamp } from '../../store/firestore/firestore-time';
import { AttemptResult, DeliveryAttempt, DeliveryStatus, WebhookDelivery, deliveryIdOf } from '../webhook-delivery';

/**
 * The deliveries' layout (server-only; firestore.rules refuses clients all of it):
 * `webhookDeliveries/{webhookId}__{eventId}`, `webhookAttempts/{autoId}` (top level, so an endpoint's log
 * is one query across its items), `webhookDispatch/cursor`, `webhookPauses/{webhookId}`. Items and
 * attempts carry `expireAt`, read by the TTL policies in firestore.indexes.json.
 */
export const DELIVERIES = 'webhookDeliveries';
export const ATTEMPTS = 'webhookAttempts';
export const DISPATCH_CURSOR = 'webhookDispatch/cursor';
export const PAUSES = 'webhookPauses';
export const OPEN_STATUSES: DeliveryStatus[] = ['queued', 'processing'];

export interface DeliveryDoc {
  webhookId: string;
  eventId: string;
  status: DeliveryStatus;
  attempts: number;
  /** When a claim may take the item: its next attempt while queued, its lease's end while processing. */
  nextAttemptAt: Timestamp;
  leaseUntil: Timestamp | null;
  claimedBy: string | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
  endedAt: Timestamp | null;
  /** As long as its event is kept: past it the item has nothing left to deliver. */
  expireAt: Timestamp;
}

/** Which item: this endpoint owes this event. */
export interface DeliveryKey {
  webhookId: string;
  eventId: string;
}

export type AttemptDoc = Omit<DeliveryAttempt, 'at'> & { at: Timestamp; expireAt: Timestamp };

export function deliveriesCollection(db: Firestore): CollectionReference {
  return db.collection(DELIVERIES);
}

export function attemptsCollection(db: Firestore): CollectionReference {
  return db.collection(ATTEMPTS);
}

/** A new item, due at `dueAt` (now, or its endpoint's pause end). */
export function newDeliveryDoc(store: FirestoreStore, item: DeliveryKey, dueAt: number, now: number): DeliveryDoc {
  const at = toTimestamp(now);
  return {
    webhookId: item.webhookId,
    eventId: item.eventId,
    status: 'queued',
    attempts: 0,
    nextAttemptAt: toTimestamp(dueAt),
    leaseUntil: null,
    claimedBy: null,
    createdAt: at,
    updatedAt: at,
    endedAt: null,
    expireAt: toTimestamp(now + store.eventRetentionMs),
  };
}

export function toDelivery(id: string, doc: DeliveryDoc): WebhookDelivery {
  return {
    id,
    webhookId: doc.webhookId,
    eventId: doc.eventId,
    status: doc.status,
    attempts: doc.attempts,
    nextAttemptAt: toMillis(doc.nextAttemptAt),
    leaseUntil: toMillis(doc.leaseUntil),
    claimedBy: doc.claimedBy,
    createdAt: toMillis(doc.createdAt),
  };
}

export function toAttemptDoc(store: FirestoreStore, attempt: DeliveryAttempt): AttemptDoc {
  return { ...attempt, at: toTimestamp(attempt.at), expireAt: toTimestamp(attempt.at + store.eventRetentionMs) };
}

export function toAttempt(doc: AttemptDoc): DeliveryAttempt {
  return {
    deliveryId: doc.deliveryId,
    webhookId: doc.webhookId,
    eventId: doc.eventId,
    attempt: doc.attempt,
    at: toMillis(doc.at),
    statusCode: doc.statusCode,
    error: doc.error,
    ms: doc.ms,
    result: doc.result as AttemptResult,
  };
}

export function deliveryRef(db: Firestore, item: DeliveryKey): DocumentReference {
  return deliveriesCollection(db).doc(deliveryIdOf(item.webhookId, item.eventId));
}

/** Deletes per batch: well under a commit's bounds. */
const DELETE_BATCH = 400;

/**
 * Removes an endpoint's items, attempts and pause, a bounded batch at a time (an endpoint may own more
 * than one commit can delete). Not atomic with the endpoint's own deletion: an item a dispatcher makes
 * for it meanwhile is left to TTL.
 */
export async function removeDeliveriesOf(db: Firestore, webhookId: string): Promise<void> {
  for (const collection of [deliveriesCollection(db), attemptsCollection(db)]) {
    for (;;) {
      const found = await collection.where('webhookId', '==', webhookId).limit(DELETE_BATCH).get();
      if (found.empty) break;
      const batch = db.batch();
      for (const doc of found.docs) batch.delete(doc.ref);
      await batch.commit();
      if (found.size < DELETE_BATCH) break;
    }
  }
  await db.collection(PAUSES).doc(webhookId).delete();
}
