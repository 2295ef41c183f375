import { Injectable } from '@nestjs/common';
import { FieldPath, Query, Timestamp } from 'firebase-admin/firestore';
import { InvalidInput } from '../common/errors';
import { Cursor, Page, PageRequest, pageOf } from '../common/page';
import { FirestoreStore } from '../store/firestore/firestore-store';
import { toTimestamp } from '../store/firestore/firestore-time';
import { MessageRecord, ThreadRecord } from './message';
import { MESSAGES, MessageDoc, THREADS, ThreadDoc, messageRef, threadRef, toMessage, toThread } from './message-docs.firestore';
import { ThreadRepository } from './thread.repository';

@Injectable()
export class FirestoreThreadRepository extends ThreadRepository {
  constructor(private readonly store: FirestoreStore) {
    super();
  }

  /** Needs the composite index threads (accountId, lastMessageAt desc, __name__ desc): firestore.indexes.json. */
  async listThreads(accountId: string, page: PageRequest): Promise<Page<ThreadRecord>> {
    const query = this.store.db.collection(THREADS).where('accountId', '==', accountId);
    const snapshot = await newestFirst(query, 'lastMessageAt', page).get();
    const threads = snapshot.docs.map((doc) => toThread(doc.id, doc.data() as ThreadDoc));
    return pageOf(threads, page.limit, (t) => ({ key: t.lastMessageAt, id: t.threadId }));
  }

  async getThread(threadId: string): Promise<ThreadRecord | undefined> {
    const snapshot = await threadRef(this.store.db, threadId).get();
    return snapshot.exists ? toThread(snapshot.id, snapshot.data() as ThreadDoc) : undefined;
  }

  /** One thread's subcollection: the built-in descending index on `createdAt` (with `__name__`) serves it. */
  async listMessages(threadId: string, page: PageRequest): Promise<Page<MessageRecord>> {
    const query = threadRef(this.store.db, threadId).collection(MESSAGES);
    const snapshot = await newestFirst(query, 'createdAt', page).get();
    const messages = snapshot.docs.map((doc) => toMessage(doc.id, doc.data() as MessageDoc));
    return pageOf(messages, page.limit, (m) => ({ key: m.createdAt, id: m.messageId }));
  }

  /** A direct read under the thread's path: a message id asked under another thread finds nothing. */
  async getMessage(threadId: string, messageId: string): Promise<MessageRecord | undefined> {
    const snapshot = await messageRef(this.store.db, threadId, messageId).get();
    return snapshot.exists ? toMessage(snapshot.id, snapshot.data() as MessageDoc) : undefined;
  }
}

/** Keyset page over (time desc, doc id desc), the same order and cursor as the sqlite adapter. */
function newestFirst(query: Query, timeField: string, page: PageRequest): Query {
  let ordered = query.orderBy(timeField, 'desc').orderBy(FieldPath.documentId(), 'desc');
  if (page.after) ordered = ordered.startAfter(cursorTime(page.after), page.after.id);
  return ordered.limit(page.limit + 1);
}

/** A cursor is client input: a time a Timestamp cannot hold is refused as a bad cursor, not a 500. */
function cursorTime(after: Cursor): Timestamp {
  try {
    if (typeof after.key === 'number') return toTimestamp(after.key);
  } catch {
    // out of Timestamp's range: fall through
  }
  throw new InvalidInput('cursor', 'is not a cursor this server returned');
}
