import { Injectable } from '@nestjs/common';
import { DocumentSnapshot, FieldPath, Query, Timestamp, WriteBatch } from 'firebase-admin/firestore';
import { Page, PageRequest, pageOf } from '../../common/page';
import { isAlreadyExists, isFailedPrecondition } from '../../store/firestore/firestore-errors';
import { FirestoreStore } from '../../store/firestore/firestore-store';
import { toTimestamp } from '../../store/firestore/firestore-time';
import { Direction, MessageRecord, ThreadRecord } from '../message';
import { messageEvent, providerMessageEvent } from '../message-events';
import { appendEventIn } from '../../events/firestore/event-docs.firestore';
import {
  MESSAGES,
  MessageDoc,
  MessageLookupDoc,
  THREADS,
  ThreadDoc,
  messageLookupRef,
  messageRef,
  threadRef,
  toLookupDoc,
  toMessage,
  toMessageDoc,
  toThread,
} from './message-docs.firestore';
import { ThreadRepository } from '../thread.repository';
import type { MediaSource } from '../../whatsapp/whatsapp-provider';
import { mediaDownloadRef, newMediaDownloadDoc } from './media-download-docs.firestore';
import { summaryWrite } from './thread-summary.firestore';

/** A message refused this many times in a row (racing writers of one thread) is contended beyond reason: give up loudly. */
const MAX_ATTEMPTS = 10;

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

  /** Two direct reads: the lookup (account, direction, WhatsApp id), then the message it names. */
  async findByWaMessageId(accountId: string, direction: Direction, waMessageId: string): Promise<MessageRecord | undefined> {
    const lookup = await messageLookupRef(this.store.db, accountId, direction, waMessageId).get();
    if (!lookup.exists) return undefined;
    const snapshot = await this.store.db.doc((lookup.data() as MessageLookupDoc).messageRef).get();
    return snapshot.exists ? toMessage(snapshot.id, snapshot.data() as MessageDoc) : undefined;
  }

  /**
   * No transaction: the lookup doc (account, direction, WhatsApp id) is read first, so a repeat (Baileys
   * echoes every send we make; a reconnect replays history) costs one read and writes nothing. A new
   * message goes in one batch (message, lookup, thread summary) whose `create` of the lookup refuses a
   * racing copy and whose summary write is conditioned on the thread as read; a refused batch wrote
   * nothing, so look again. Queued per thread in this process, as accepts are (they share the thread doc).
   */
  storeProviderMessage(message: MessageRecord, download?: MediaSource): Promise<'stored' | 'duplicate'> {
    const db = this.store.db;
    const thread = threadRef(db, message.threadId);
    const lookup = messageLookupRef(db, message.accountId, message.direction, message.waMessageId);
    return this.store.inTurn(thread.path, async () => {
      for (let attempt = 1; ; attempt++) {
        if ((await lookup.get()).exists) return 'duplicate';
        const summary = await thread.get();
        const batch = db.batch();
        const doc = toMessageDoc(message);
        batch.create(messageRef(db, message.threadId, message.messageId), doc);
        appendEventIn(this.store, batch, messageEvent(providerMessageEvent(message), toMessage(message.messageId, doc), message.updatedAt));
        batch.create(lookup, toLookupDoc(message));
        if (download && message.type) batch.create(mediaDownloadRef(db, message.messageId), newMediaDownloadDoc({ ...message, type: message.type }, download));
        writeSummary(batch, summary, message);
        try {
          await batch.commit();
          return 'stored';
        } catch (error) {
          if (!(isAlreadyExists(error) || isFailedPrecondition(error)) || attempt >= MAX_ATTEMPTS) throw error;
        }
      }
    });
  }
}

/** The summary's write (summaryWrite), on condition that the thread is as read: `create` where there was none, else its update time. */
function writeSummary(batch: WriteBatch, summary: DocumentSnapshot, message: MessageRecord): void {
  const write = summaryWrite(summary, message);
  if ('create' in write) batch.create(summary.ref, write.create);
  else batch.update(summary.ref, write.update, { lastUpdateTime: summary.updateTime! });
}

/** Keyset page over (time desc, doc id desc), the same order and cursor as the sqlite adapter. */
function newestFirst(query: Query, timeField: string, page: PageRequest): Query {
  let ordered = query.orderBy(timeField, 'desc').orderBy(FieldPath.documentId(), 'desc');
  // The cursor's time and id were checked against this list's shape at the edge (CursorShape).
  if (page.after) ordered = ordered.startAfter(toTimestamp(page.after.key), page.after.id);
  return ordered.limit(page.limit + 1);
}

