import { DocumentReference, Firestore, Timestamp, Transaction } from 'firebase-admin/firestore';
import { toMillis, toTimestamp } from '../../store/firestore/firestore-time';
import { PAUSES, deliveriesCollection } from './webhook-delivery-docs.firestore';

/**
 * Queued items one pause pushes back per transaction: a pause on an endpoint with a deep backlog goes on
 * in further transactions of this size (see `holdBack`), so a commit stays well under its bounds.
 */
export const PAUSE_BATCH = 400;

export function pauseRef(db: Firestore, webhookId: string): DocumentReference {
  return db.collection(PAUSES).doc(webhookId);
}

/** When each endpoint's pause ends (0: none), read in `tx`. */
export async function pauseEndsIn(tx: Transaction, db: Firestore, webhookIds: Iterable<string>): Promise<Map<string, number>> {
  const ids = [...new Set(webhookIds)];
  if (ids.length === 0) return new Map();
  const docs = await tx.getAll(...ids.map((id) => pauseRef(db, id)));
  return new Map(ids.map((id, i) => [id, toMillis(docs[i].get('until') as Timestamp | undefined) ?? 0]));
}

/**
 * Reads, in `tx`, up to PAUSE_BATCH of the endpoint's queued items due before `until` (and with
 * `setPause`, its pause), and answers the writes that hold them back until then, to run after the
 * transaction's other reads. `full`: more may be left, for `holdBack`. A longer pause already set stays.
 */
export async function pauseIn(tx: Transaction, db: Firestore, webhookId: string, until: number, setPause: boolean): Promise<{ write(): void; full: boolean }> {
  const current = setPause ? ((await pauseEndsIn(tx, db, [webhookId])).get(webhookId) ?? 0) : until;
  const due = deliveriesCollection(db).where('webhookId', '==', webhookId).where('status', '==', 'queued').where('nextAttemptAt', '<', toTimestamp(until));
  const queued = await tx.get(due.orderBy('nextAttemptAt').limit(PAUSE_BATCH));
  return {
    full: queued.size === PAUSE_BATCH,
    write: () => {
      if (current < until) tx.set(pauseRef(db, webhookId), { until: toTimestamp(until) });
      for (const doc of queued.docs) tx.update(doc.ref, { nextAttemptAt: toTimestamp(until) });
    },
  };
}

/** Pushes back the rest of a deep backlog, a batch per transaction, after the pause itself was set. */
export async function holdBack(db: Firestore, webhookId: string, until: number): Promise<void> {
  for (let full = true; full; ) {
    full = await db.runTransaction(async (tx) => {
      const pause = await pauseIn(tx, db, webhookId, until, false);
      pause.write();
      return pause.full;
    });
  }
}
