import { DocumentSnapshot, FieldValue, Firestore, QueryDocumentSnapshot, Transaction } from 'firebase-admin/firestore';
import { accountRef } from '../accounts/account-docs.firestore';
import { Holding } from '../accounts/account.repository';
import { FailureReason } from '../messaging/failure-reason';
import { MessageDoc, threadRef } from '../messaging/message-docs.firestore';
import { statusRank } from '../receipts/message-status';
import { toTimestamp } from '../store/firestore/firestore-time';
import { writeMessage } from './outbox-lifecycle.firestore';
import { OPEN_STATUSES, OutboxDoc, endedAtFields, outboxCollection } from './outbox-docs.firestore';
import { PlannedWrite, passTurn } from './thread-turn.firestore';

/**
 * Items per transaction. Each ends with up to four writes (item, message, thread, the thread's next item),
 * and a Firestore commit takes at most 500.
 */
const BATCH = 100;

/**
 * Ends every open item of the account as `failed`, with its message, in transactions of BATCH items
 * until none is left (an account's backlog can outgrow one commit). Each batch is atomic; together they
 * are not, which is safe: a retry fails whatever is still open. With a `fence`, each batch reads the
 * account doc too and ends nothing once that holding is no longer current: null then.
 */
export async function failWaitingItems(db: Firestore, accountId: string, reason: FailureReason, now: number, fence?: Holding): Promise<number | null> {
  let ended = 0;
  for (;;) {
    const count = await db.runTransaction((tx) => failBatch(tx, db, accountId, reason, now, fence));
    if (count === null) return null;
    ended += count;
    if (count < BATCH) return ended;
  }
}

async function failBatch(tx: Transaction, db: Firestore, accountId: string, reason: FailureReason, now: number, fence?: Holding): Promise<number | null> {
  if (fence) {
    const account = await tx.get(accountRef(db, accountId));
    if (account.get('owner') !== fence.owner || account.get('ownerEpoch') !== fence.ownerEpoch) return null;
  }
  const open = await tx.get(outboxCollection(db).where('accountId', '==', accountId).where('status', 'in', OPEN_STATUSES).limit(BATCH));
  if (open.empty) return 0;
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
  const ended = { status: 'failed', lastError: null, failureReason: reason, ...endedAtFields(now), leaseUntil: null, updatedAt: at, threadHead: false, claimableAt: null };
  for (const { doc } of items) tx.update(doc.ref, ended);
  for (const message of messages) {
    writeMessage(tx, message, (m: MessageDoc) => (m.statusRank < rank ? { status: 'failed', statusRank: rank, failedAt: at, error: FieldValue.delete(), failureReason: reason, updatedAt: at } : undefined));
  }
  for (const [target, fields] of turns) tx.update(target, fields);
  return items.length;
}

function endedIn(thread: DocumentSnapshot, items: Array<{ doc: QueryDocumentSnapshot; item: OutboxDoc }>) {
  return items.filter(({ item }) => item.threadId === thread.id).map(({ doc, item }) => ({ id: doc.id, seq: item.seq }));
}
