import { FieldPath, FieldValue } from 'firebase-admin/firestore';
import { accountRef } from '../../accounts/firestore/account-docs.firestore';
import { AccountLoggedOut } from '../../common/errors';
import { outboxItemId } from '../../common/ids';
import { Page, PageRequest, pageOf } from '../../common/page';
import { threadRef } from '../../messaging/firestore/message-docs.firestore';
import { statusRank } from '../../messaging/message-status';
import { FirestoreStore } from '../../store/firestore/firestore-store';
import { toTimestamp } from '../../store/firestore/firestore-time';
import { RetryOutcome, WATCHED_OUTBOX_STATUSES, WatchedOutboxStatus } from '../failed-send-retry';
import { OutboxItem, OutboxStatus } from '../outbox-item';
import { OutboxDoc, outboxCollection, outboxRef, toOutboxItem } from './outbox-docs.firestore';
import { writeMessage } from './outbox-lifecycle.firestore';
import { OUTBOX_HEAD_SEQ, turnIsFree } from './thread-turn.firestore';

/** What an operator reads and does on the outbox (the console): counts, lists and the retry of a failed send. */
export class FirestoreOperatorOutbox {
  constructor(private readonly store: FirestoreStore) {}

  /** Count aggregations on (accountId, status), merged from the single-field indexes: no document is read. */
  async countOf(accountId: string): Promise<Record<WatchedOutboxStatus, number>> {
    const ofAccount = outboxCollection(this.store.db).where('accountId', '==', accountId);
    const counts = await Promise.all(WATCHED_OUTBOX_STATUSES.map(async (status) => (await ofAccount.where('status', '==', status).count().get()).data().count));
    return Object.fromEntries(WATCHED_OUTBOX_STATUSES.map((status, i) => [status, counts[i]])) as Record<WatchedOutboxStatus, number>;
  }

  /** Equality filters ordered by document id: served by merging single-field indexes, no composite one. */
  async list(accountId: string, status: OutboxStatus | undefined, page: PageRequest): Promise<Page<OutboxItem>> {
    let query = outboxCollection(this.store.db).where('accountId', '==', accountId);
    if (status) query = query.where('status', '==', status);
    query = query.orderBy(FieldPath.documentId());
    if (page.after) query = query.startAfter(outboxItemId(accountId, page.after.id));
    const found = await query.limit(page.limit + 1).get();
    const items = found.docs.map((doc) => toOutboxItem(doc.id, doc.data() as OutboxDoc));
    return pageOf(items, page.limit, (item) => ({ key: 0, id: item.requestId }));
  }

  /**
   * One transaction reading the item, its account, thread and message. The item takes the thread's next
   * sequence number, and the turn when the thread has no open item; otherwise passTurn gives it the turn
   * when the items before it end (it looks for seqs above the head).
   */
  retryFailed(accountId: string, requestId: string, now: number): Promise<RetryOutcome> {
    const db = this.store.db;
    const ref = outboxRef(db, accountId, requestId);
    return db.runTransaction(async (tx): Promise<RetryOutcome> => {
      const found = await tx.get(ref);
      if (!found.exists) return { kind: 'notFound' };
      const doc = found.data() as OutboxDoc;
      if (doc.status !== 'failed') return { kind: 'notFailed', status: doc.status };
      const [account, thread, message] = await tx.getAll(accountRef(db, accountId), threadRef(db, doc.threadId), db.doc(doc.messageRef));
      if (account.get('status') === 'logged_out') throw new AccountLoggedOut(accountId);
      // A receipt came after it failed: it reached WhatsApp, and sending it again would send it twice.
      if (message.exists && (message.get('statusRank') as number) > statusRank('failed')) return { kind: 'notFailed', status: 'sent' };
      const seq = (thread.get('nextSeq') as number | undefined) ?? doc.seq + 1;
      const hasTurn = turnIsFree(thread);
      const at = toTimestamp(now);
      const requeued = { status: 'queued' as const, seq, attempts: 0, lastError: null, failureReason: null, leaseUntil: null, claimedBy: null, claimEpoch: null };
      tx.update(ref, { ...requeued, nextAttemptAt: at, claimableAt: at, threadHead: hasTurn, endedAt: null, expireAt: FieldValue.delete(), updatedAt: at });
      tx.update(thread.ref, { nextSeq: seq + 1, ...(hasTurn ? { [OUTBOX_HEAD_SEQ]: seq } : {}) });
      const rank = statusRank('queued');
      writeMessage(this.store, tx, message, {
        event: 'message.accepted',
        changes: () => ({ status: 'queued', statusRank: rank, failedAt: FieldValue.delete(), error: FieldValue.delete(), failureReason: FieldValue.delete(), updatedAt: at }),
      }, now);
      return { kind: 'queued', item: { ...toOutboxItem(found.id, doc), ...requeued, nextAttemptAt: now, endedAt: null, updatedAt: now } };
    });
  }
}
