import { DocumentReference, Firestore, Timestamp } from 'firebase-admin/firestore';
import { STATUS_TIME_FIELD, statusRank } from '../message-status';
import { toMillis, toTimestamp } from '../../store/firestore/firestore-time';
import { Direction, MessageRecord, ThreadRecord } from '../message';

/** Collection names of the public layout; apps listen to `threads` and their `messages` directly. */
export const THREADS = 'threads';
export const MESSAGES = 'messages';
/** Server-only: (accountId, direction, WhatsApp id) → message doc, never the WhatsApp id alone. */
export const MESSAGE_LOOKUP = 'messageLookup';

/**
 * `threads/{accountId}__{clientJid}`. Server-side fields: `nextSeq`, the next outbound sequence number,
 * and `outboxHeadSeq`, the seq of the thread's first open outbox item (see outbox/firestore/thread-turn.firestore.ts);
 * a thread first made by an inbound message has neither until its first send.
 */
export interface ThreadDoc {
  accountId: string;
  clientJid: string;
  lastMessageAt: Timestamp;
  lastMessageText: string | null;
  lastMessageDirection: Direction;
  nextSeq?: number;
  outboxHeadSeq?: number | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

type StatusTimeField = (typeof STATUS_TIME_FIELD)[keyof typeof STATUS_TIME_FIELD];

/** `threads/{threadId}/messages/{messageId}`; optional fields are absent rather than null, as in the record. */
export type MessageDoc = Omit<MessageRecord, 'messageId' | 'createdAt' | 'updatedAt' | StatusTimeField> & {
  /** Mirrors `status` as a number, so a conditional write or query can compare ranks (forward-only rule). */
  statusRank: number;
  createdAt: Timestamp;
  updatedAt: Timestamp;
} & Partial<Record<StatusTimeField, Timestamp>>;

/** `messageLookup/{accountId}__{direction}__{waMessageId}`. */
export interface MessageLookupDoc {
  accountId: string;
  direction: Direction;
  waMessageId: string;
  threadId: string;
  messageId: string;
  /** Path of the message doc. */
  messageRef: string;
}

export function threadRef(db: Firestore, threadId: string): DocumentReference {
  return db.collection(THREADS).doc(threadId);
}

export function messagePath(threadId: string, messageId: string): string {
  return `${THREADS}/${threadId}/${MESSAGES}/${messageId}`;
}

export function messageRef(db: Firestore, threadId: string, messageId: string): DocumentReference {
  return db.doc(messagePath(threadId, messageId));
}

/** An account id never holds `__` (see ids.ts), so the lookup id splits one way. */
export function messageLookupRef(db: Firestore, accountId: string, direction: Direction, waMessageId: string): DocumentReference {
  return db.collection(MESSAGE_LOOKUP).doc(`${accountId}__${direction}__${waMessageId}`);
}

export function toLookupDoc(message: Pick<MessageRecord, 'accountId' | 'direction' | 'waMessageId' | 'threadId' | 'messageId'>): MessageLookupDoc {
  const { accountId, direction, waMessageId, threadId, messageId } = message;
  return { accountId, direction, waMessageId, threadId, messageId, messageRef: messagePath(threadId, messageId) };
}

export function toMessageDoc(message: MessageRecord): MessageDoc {
  const { messageId: _id, createdAt, updatedAt, sentAt, failedAt, deliveredAt, readAt, playedAt, ...fields } = message;
  const times = { sentAt, failedAt, deliveredAt, readAt, playedAt };
  const doc: MessageDoc = { ...fields, statusRank: statusRank(message.status), createdAt: toTimestamp(createdAt), updatedAt: toTimestamp(updatedAt) };
  for (const [field, ms] of Object.entries(times)) if (ms !== undefined) doc[field as StatusTimeField] = toTimestamp(ms);
  return doc;
}

export function toMessage(messageId: string, doc: MessageDoc): MessageRecord {
  const { statusRank: _rank, createdAt, updatedAt, sentAt, failedAt, deliveredAt, readAt, playedAt, ...fields } = doc;
  const message: MessageRecord = { ...fields, messageId, createdAt: toMillis(createdAt), updatedAt: toMillis(updatedAt) };
  const times = { sentAt, failedAt, deliveredAt, readAt, playedAt };
  for (const [field, at] of Object.entries(times)) if (at) message[field as StatusTimeField] = toMillis(at);
  return message;
}

export function toThread(threadId: string, doc: ThreadDoc): ThreadRecord {
  return {
    threadId,
    accountId: doc.accountId,
    clientJid: doc.clientJid,
    lastMessageAt: toMillis(doc.lastMessageAt),
    lastMessageText: doc.lastMessageText ?? null,
    lastMessageDirection: doc.lastMessageDirection,
    createdAt: toMillis(doc.createdAt),
    updatedAt: toMillis(doc.updatedAt),
  };
}
