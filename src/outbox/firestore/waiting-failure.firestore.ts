import { DocumentSnapshot, FieldValue, QueryDocumentSnapshot, Transaction } from 'firebase-admin/firestore';
import { FirestoreStore } from '../../store/firestore/firestore-store';
import { accountRef } from '../../accounts/firestore/account-docs.firestore';
import { Holding } from '../../accounts/account.repository';
import { FailureReason } from '../../messaging/failure-reason';
import { MessageDoc, threadRef } from '../../messaging/firestore/message-docs.firestore';
import { isAcknowledged, statusRank } from '../../messaging/message-status';
import { toTimestamp } from '../../store/firestore/firestore-time';
import { writeMessage } from './outbox-lifecycle.firestore';
import { OPEN_STATUSES, OutboxDoc, endedAtFields, outboxCollection } from './outbox-docs.firestore';
import { PlannedWrite, passTurn } from './thread-turn.firestore';

/**
 * Items per transaction. Each ends with up to five writes (item, message, its event, thread, the
 * thread's next item), and a Firestore commit takes at most 500.
 */
const BATCH = 100;

/**
 * Ends every open item of the account as `failed`, with its message (one whose message a receipt already
 * acknowledged ends `sent`), in transactions of BATCH items
 * until none is left (an account's backlog can outgrow one commit). Each batch is atomic; together they
 * are not, which is safe: a retry fails whatever is still open. With a `fence`, each batch reads the
 * account doc too and ends nothing once that holding is no longer current: null then.
 */
export async function failWaitingItems(store: FirestoreStore, accountId: string, reason: FailureReason, now: number, fence?: Holding): Promise<number | null> {
  let failed = 0;
  for (;;) {
    const batch = await store.db.runTransaction((tx) => failBatch(tx, store, accountId, reason, now, fence));
    if (batch === null) return null;
    failed += batch.failed;
    if (batch.ended < BATCH) return failed;
  }
}

async function failBatch(tx: Transaction, store: FirestoreStore, accountId: string, reason: FailureReason, now: number, fence?: Holding): Promise<{ ended: number; failed: number } | null> {
  const db = store.db;
  if (fence) {
    const account = await tx.get(accountRef(db, accountId));
    if (account.get('owner') !== fence.owner || account.get('ownerEpoch') !== fence.ownerEpoch) return null;
  }
  const open = await tx.get(outboxCollection(db).where('accountId', '==', accountId).where('status', 'in', OPEN_STATUSES).limit(BATCH));
  if (open.empty) return { ended: 0, failed: 0 };
  const items = open.docs.map((doc) => ({ doc, item: doc.data() as OutboxDoc }));
  const threadIds = [...new Set(items.map(({ item }) => item.threadId))];
  const [threads, messages] = await Promise.all([
    tx.getAll(...threadIds.map((id) => threadRef(db, id))),
    tx.getAll(...items.map(({ item }) => db.doc(item.messageRef))),
  ]);
  // Every read before the first write: Firestore's rule for transactions.
  const turns: PlannedWrite[] = [];
  for (const thread of threads) turns.push(...(await passTurn(tx, db, thread, endedIn(thread, items))));
  const at = toTimestamp(now);
  const rank = statusRank('failed');
  const closed = { ...endedAtFields(now), leaseUntil: null, updatedAt: at, threadHead: false, claimableAt: null };
  let failed = 0;
  // getAll answers in the order asked: messages[i] is items[i]'s.
  items.forEach(({ doc }, i) => {
    const message = messages[i];
    // A receipt proved WhatsApp has it before the item's own end landed: it ends sent, its status kept.
    if (message.exists && isAcknowledged((message.data() as MessageDoc).status)) return tx.update(doc.ref, { ...closed, status: 'sent', lastError: null });
    failed += 1;
    tx.update(doc.ref, { ...closed, status: 'failed', lastError: null, failureReason: reason });
    writeMessage(store, tx, message, { event: 'message.failed', changes: (m) => (m.statusRank < rank ? { status: 'failed', statusRank: rank, failedAt: at, error: FieldValue.delete(), failureReason: reason, updatedAt: at } : undefined) }, now);
  });
  for (const [target, fields] of turns) tx.update(target, fields);
  return { ended: items.length, failed };
}

function endedIn(thread: DocumentSnapshot, items: Array<{ doc: QueryDocumentSnapshot; item: OutboxDoc }>) {
  return items.filter(({ item }) => item.threadId === thread.id).map(({ doc, item }) => ({ id: doc.id, seq: item.seq }));
}
