import { Injectable } from '@nestjs/common';
import { DocumentSnapshot, Transaction } from 'firebase-admin/firestore';
import { accountRef } from '../accounts/account-docs.firestore';
import { AccountNotFound } from '../common/errors';
import { MessageRecord } from '../messaging/message';
import { MessageLookupDoc, ThreadDoc, messageLookupRef, messageRef, threadRef, toMessageDoc } from '../messaging/message-docs.firestore';
import { FirestoreStore } from '../store/firestore/firestore-store';
import { toMillis, toTimestamp } from '../store/firestore/firestore-time';
import { AcceptOutcome, AcceptedSend, OutboxItem } from './outbox-item';
import { outboxItemFor } from './outbox-item.factory';
import { OutboxDoc, outboxRef, toOutboxDoc, toOutboxItem } from './outbox-docs.firestore';
import { OutboxRepository } from './outbox.repository';

@Injectable()
export class FirestoreOutboxRepository extends OutboxRepository {
  constructor(private readonly store: FirestoreStore) {
    super();
  }

  /**
   * One transaction: 3 document reads in one round trip (outbox key, account, thread), then 4 creates
   * or updates in one commit (message, lookup, thread, outbox item). An existing key or a missing account
   * writes nothing. A transaction, not preconditions: the thread's next sequence number must be read.
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
        const seq = takeSeq(tx, summary, send);
        const item = outboxItemFor(send, seq);
        tx.create(messageRef(db, send.threadId, send.messageId), toMessageDoc(queuedMessage(send, seq)));
        tx.create(messageLookupRef(db, send.accountId, 'outbound', send.waMessageId), outboundLookup(send, item));
        tx.create(itemRef, toOutboxDoc(item));
        return { kind: 'accepted', item };
      }),
    );
  }

  async get(accountId: string, requestId: string): Promise<OutboxItem | undefined> {
    const snapshot = await outboxRef(this.store.db, accountId, requestId).get();
    return snapshot.exists ? toOutboxItem(snapshot.id, snapshot.data() as OutboxDoc) : undefined;
  }
}

/**
 * Hands out the thread's next sequence number and moves its summary to this send, unless a later
 * message is already the thread's last (the same rule as the sqlite upsert).
 */
function takeSeq(tx: Transaction, summary: DocumentSnapshot, send: AcceptedSend): number {
  const now = toTimestamp(send.now);
  const last = { lastMessageAt: now, lastMessageText: send.text, lastMessageDirection: 'outbound' as const };
  if (!summary.exists) {
    const doc: ThreadDoc = { accountId: send.accountId, clientJid: send.clientJid, ...last, nextSeq: 2, createdAt: now, updatedAt: now };
    tx.create(summary.ref, doc);
    return 1;
  }
  const current = summary.data() as Partial<ThreadDoc>;
  // A thread first made by an inbound message may not have a counter yet.
  const seq = current.nextSeq ?? 1;
  const isLatest = !current.lastMessageAt || send.now >= toMillis(current.lastMessageAt);
  tx.update(summary.ref, { ...(isLatest ? last : {}), nextSeq: seq + 1, updatedAt: now });
  return seq;
}

function outboundLookup(send: AcceptedSend, item: OutboxItem): MessageLookupDoc {
  const { accountId, waMessageId, threadId, messageId } = send;
  return { accountId, direction: 'outbound', waMessageId, threadId, messageId, messageRef: item.messageRef };
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
  };
}
