import { DocumentData, DocumentReference, DocumentSnapshot, Firestore, Transaction, UpdateData } from 'firebase-admin/firestore';
import { OPEN_STATUSES, outboxCollection } from './outbox-docs.firestore';

/**
 * Whose turn it is in a thread: only its first open outbox item may be claimed, so one recipient gets
 * messages in accepted order. sqlite asks at claim time (`NOT EXISTS` an earlier open item); Firestore
 * has no such query, and a claim that scanned past blocked items could starve other threads. So the turn
 * is kept as data: the thread doc's `outboxHeadSeq` (seq of its first open item, null when none) and that
 * item's `threadHead` flag. Accept and every end of an item change it in a transaction that reads the
 * thread doc (accept also writes it), so they serialise on that doc and a new item is never missed.
 */
export const OUTBOX_HEAD_SEQ = 'outboxHeadSeq';

export interface EndedItem {
  id: string;
  seq: number;
}

/** True when the thread has no open item, so a new one starts with the turn. */
export function turnIsFree(thread: DocumentSnapshot): boolean {
  return !thread.exists || (thread.get(OUTBOX_HEAD_SEQ) ?? null) === null;
}

export type PlannedWrite = [DocumentReference, UpdateData<DocumentData>];

/**
 * Reads what is needed to pass the turn on after `ended` items of this thread end (call before any write
 * of the transaction, Firestore's rule) and returns the writes that do it: the next open item gets the
 * turn, or the thread records none. Nothing when the turn was not among the ended items.
 * Needs the index outbox (threadId, status, seq): firestore.indexes.json.
 */
export async function passTurn(tx: Transaction, db: Firestore, thread: DocumentSnapshot, ended: EndedItem[]): Promise<PlannedWrite[]> {
  const head = thread.exists ? ((thread.get(OUTBOX_HEAD_SEQ) as number | null | undefined) ?? null) : null;
  if (head === null || !ended.some((item) => item.seq === head)) return [];
  // Seqs come from the thread's `nextSeq` (accept, in a transaction that writes it; the migration keeps it
  // above every seq it moves): when none was handed out after the head, no later item exists, and the
  // common case, one message in flight per recipient, skips the query (one read and one round trip).
  const nextSeq = thread.get('nextSeq') as number | undefined;
  if (typeof nextSeq === 'number' && nextSeq <= head + 1) return [[thread.ref, { [OUTBOX_HEAD_SEQ]: null }]];
  const endedIds = new Set(ended.map((item) => item.id));
  const following = await tx.get(
    outboxCollection(db)
      .where('threadId', '==', thread.id)
      .where('status', 'in', OPEN_STATUSES)
      .where('seq', '>', head)
      .orderBy('seq')
      .limit(ended.length + 1),
  );
  const next = following.docs.find((doc) => !endedIds.has(doc.id));
  const writes: PlannedWrite[] = [[thread.ref, { [OUTBOX_HEAD_SEQ]: next ? (next.get('seq') as number) : null }]];
  if (next) writes.push([next.ref, { threadHead: true }]);
  return writes;
}
