import { Failure } from '../../messaging/failure-reason';
import { Injectable } from '@nestjs/common';
import { DocumentSnapshot, Transaction } from 'firebase-admin/firestore';
import { accountRef } from '../../accounts/firestore/account-docs.firestore';
import { AccountLoggedOut, AccountNotFound } from '../../common/errors';
import { MessageRecord } from '../../messaging/message';
import { summaryWrite } from '../../messaging/firestore/thread-summary.firestore';
import { messageLookupRef, messageRef, threadRef, toLookupDoc, toMessage, toMessageDoc } from '../../messaging/firestore/message-docs.firestore';
import { messageEvent } from '../../messaging/message-events';
import { appendEventIn } from '../../events/firestore/event-docs.firestore';
import { countByStatus } from '../../store/firestore/count-by-status';
import { FirestoreStore } from '../../store/firestore/firestore-store';
import { AcceptedSend, messageMediaOf, summaryTextOf } from '../../messaging/send-acceptance';
import { AcceptOutcome, OPEN_OUTBOX_STATUSES, OpenOutboxStatus, OutboxItem } from '../outbox-item';
import { outboxItemFor } from '../outbox-item.factory';
import { OUTBOX, OutboxDoc, outboxRef, toOutboxDoc, toOutboxItem } from './outbox-docs.firestore';
import { Claim, ClaimRequest } from '../claim-rule';
import { FirestoreOutboxLifecycle } from './outbox-lifecycle.firestore';
import { OutboxRepository } from '../outbox.repository';
import { turnIsFree } from './thread-turn.firestore';
import { Page, PageRequest } from '../../common/page';
import { RetryOutcome, WatchedOutboxStatus } from '../failed-send-retry';
import { OutboxStatus } from '../outbox-item';
import { FirestoreOperatorOutbox } from './operator-outbox.firestore';

@Injectable()
export class FirestoreOutboxRepository extends OutboxRepository {
  private readonly lifecycle: FirestoreOutboxLifecycle;

  constructor(private readonly store: FirestoreStore) {
    super();
    this.lifecycle = new FirestoreOutboxLifecycle(store);
  }

  /**
   * One transaction: 3 document reads in one round trip (outbox key, account, thread), then 5 creates
   * or updates in one commit (message, lookup, thread, outbox item, its `message.accepted` event). An
   * existing key or a missing account writes nothing. A transaction, not preconditions: the thread's
   * next sequence number must be read.
   * Accepts on one thread are queued in this process (`inTurn`): they all read and write its counter.
   */
  accept(send: AcceptedSend): Promise<AcceptOutcome> {
    const db = this.store.db;
    const thread = threadRef(db, send.threadId);
    return this.store.inTurn(thread.path, () =>
      db.runTransaction(async (tx): Promise<AcceptOutcome> => {
        const itemRef = outboxRef(db, send.accountId, send.requestId);
        const [existing, account, summary] = await tx.getAll(itemRef, accountRef(db, send.accountId), thread);
        if (existing.exists) return { kind: 'existing', item: toOutboxItem(existing.id, existing.data() as OutboxDoc) };
        if (!account.exists) throw new AccountNotFound(send.accountId);
        // In the same transaction: a logout landing just before cannot let the send slip through.
        if (account.get('status') === 'logged_out') throw new AccountLoggedOut(send.accountId);
        const hasTurn = turnIsFree(summary);
        const seq = takeSeq(tx, summary, send, hasTurn);
        const item = outboxItemFor(send, seq, (account.get('phone') as string | null | undefined) ?? null);
        const message = toMessageDoc(queuedMessage(send, seq));
        tx.create(messageRef(db, send.threadId, send.messageId), message);
        appendEventIn(this.store, tx, messageEvent('message.accepted', toMessage(send.messageId, message), send.now));
        tx.create(messageLookupRef(db, send.accountId, 'outbound', send.waMessageId), toLookupDoc({ ...send, direction: 'outbound' }));
        tx.create(itemRef, toOutboxDoc(item, hasTurn));
        return { kind: 'accepted', item };
      }),
    );
  }

  countOpen(): Promise<Record<OpenOutboxStatus, number>> {
    return countByStatus(this.store.db, OUTBOX, OPEN_OUTBOX_STATUSES);
  }

  async get(accountId: string, requestId: string): Promise<OutboxItem | undefined> {
    const snapshot = await outboxRef(this.store.db, accountId, requestId).get();
    return snapshot.exists ? toOutboxItem(snapshot.id, snapshot.data() as OutboxDoc) : undefined;
  }

  claim(request: ClaimRequest): Promise<OutboxItem[]> {
    return this.lifecycle.claim(request);
  }

  markSent(claim: Claim, now: number): Promise<boolean> {
    return this.lifecycle.markSent(claim, now);
  }

  release(claim: Claim, error: string, nextAttemptAt: number, now: number): Promise<boolean> {
    return this.lifecycle.release(claim, error, nextAttemptAt, now);
  }

  markFailed(claim: Claim, failure: Failure, now: number): Promise<boolean> {
    return this.lifecycle.markFailed(claim, failure, now);
  }

  releaseUnsent(claim: Claim, now: number): Promise<boolean> {
    return this.lifecycle.releaseUnsent(claim, now);
  }

  releaseAll(owner: string, now: number): Promise<number> {
    return this.lifecycle.releaseAll(owner, now);
  }

  markSentBySending(accountId: string, waMessageId: string, now: number): Promise<boolean> {
    return this.lifecycle.markSentBySending(accountId, waMessageId, now);
  }

  failBySending(accountId: string, waMessageId: string, failure: Failure, now: number): Promise<boolean> {
    return this.lifecycle.failBySending(accountId, waMessageId, failure, now);
  }

  countOf(accountId: string): Promise<Record<WatchedOutboxStatus, number>> {
    return this.operator.countOf(accountId);
  }

  list(accountId: string, status: OutboxStatus | undefined, page: PageRequest): Promise<Page<OutboxItem>> {
    return this.operator.list(accountId, status, page);
  }

  retryFailed(accountId: string, requestId: string, now: number): Promise<RetryOutcome> {
    return this.operator.retryFailed(accountId, requestId, now);
  }

  private get operator(): FirestoreOperatorOutbox {
    return new FirestoreOperatorOutbox(this.store);
  }
}


/** Hands out the thread's next sequence number, with the summary's move to this send (summaryWrite). */
function takeSeq(tx: Transaction, summary: DocumentSnapshot, send: AcceptedSend, hasTurn: boolean): number {
  const write = summaryWrite(summary, { ...send, text: summaryTextOf(send), direction: 'outbound', createdAt: send.now, updatedAt: send.now });
  if ('create' in write) {
    tx.create(summary.ref, { ...write.create, nextSeq: 2, outboxHeadSeq: 1 });
    return 1;
  }
  // A thread first made by an inbound message may not have a counter yet.
  const seq = (summary.get('nextSeq') as number | undefined) ?? 1;
  tx.update(summary.ref, { ...write.update, ...(hasTurn ? { outboxHeadSeq: seq } : {}), nextSeq: seq + 1 });
  return seq;
}

function queuedMessage(send: AcceptedSend, seq: number): MessageRecord {
  return {
    threadId: send.threadId,
    messageId: send.messageId,
    accountId: send.accountId,
    clientJid: send.clientJid,
    direction: 'outbound',
    text: send.text,
    status: 'queued',
    waMessageId: send.waMessageId,
    createdAt: send.now,
    updatedAt: send.now,
    requestId: send.requestId,
    seq,
    ...messageMediaOf(send),
  };
}
