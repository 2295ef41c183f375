import { Firestore } from 'firebase-admin/firestore';
import { threadRef } from '../../messaging/firestore/message-docs.firestore';
import { OPEN_STATUSES, outboxCollection } from '../../outbox/firestore/outbox-docs.firestore';
import { OUTBOX_HEAD_SEQ } from '../../outbox/firestore/thread-turn.firestore';

/**
 * Rebuilds a thread's turn (see outbox/firestore/thread-turn.firestore.ts) after the migration moved items into
 * it: the open item with the lowest seq holds it (`threadHead: true`, the thread's `outboxHeadSeq`),
 * every other item is flagged false. Without this a moved item would never be claimed: claims take only
 * turn holders. One transaction, so it cannot interleave with an accept or an end on the same thread;
 * it writes only what is wrong, and returns how many docs that was (0 on a re-run).
 * Queries: outbox (threadId, status in, seq) as thread-turn.firestore.ts uses; and (threadId, threadHead),
 * equality only, which Firestore serves by merging single-field indexes.
 */
export async function settleTurn(db: Firestore, threadId: string): Promise<number> {
  const items = outboxCollection(db).where('threadId', '==', threadId);
  return db.runTransaction(async (tx) => {
    const [thread, first, flagged] = await Promise.all([
      tx.get(threadRef(db, threadId)),
      tx.get(items.where('status', 'in', OPEN_STATUSES).orderBy('seq').limit(1)),
      tx.get(items.where('threadHead', '==', true)),
    ]);
    if (!thread.exists) return 0;
    const head = first.docs[0];
    const headSeq = head ? (head.get('seq') as number) : null;
    let written = 0;
    if ((thread.get(OUTBOX_HEAD_SEQ) ?? null) !== headSeq) {
      tx.update(thread.ref, { [OUTBOX_HEAD_SEQ]: headSeq });
      written += 1;
    }
    for (const doc of flagged.docs) {
      if (doc.id === head?.id) continue;
      tx.update(doc.ref, { threadHead: false });
      written += 1;
    }
    if (head && head.get('threadHead') !== true) {
      tx.update(head.ref, { threadHead: true });
      written += 1;
    }
    return written;
  });
}
