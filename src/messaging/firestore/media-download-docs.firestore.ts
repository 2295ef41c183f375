import { DocumentReference, Firestore, Timestamp } from 'firebase-admin/firestore';
import { toTimestamp } from '../../store/firestore/firestore-time';
import type { MediaSource } from '../../whatsapp/whatsapp-provider';
import { MessageRecord } from '../message';

/** Server-only: the work of fetching one inbound file (media-downloads/ claims and ends it). */
export const MEDIA_DOWNLOADS = 'mediaDownloads';

/**
 * `mediaDownloads/{messageId}` (a message id is unique across threads). `claimableAt` is when a claim may
 * take it, as the outbox's: `nextAttemptAt` while queued, `leaseUntil` while processing, null once failed.
 */
export interface MediaDownloadDoc {
  accountId: string;
  threadId: string;
  messageId: string;
  type: string;
  source: MediaSource;
  status: 'queued' | 'processing' | 'failed';
  attempts: number;
  nextAttemptAt: Timestamp;
  leaseUntil: Timestamp | null;
  claimableAt: Timestamp | null;
  claimedBy: string | null;
  claimEpoch: number | null;
  lastError: string | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export function mediaDownloadRef(db: Firestore, messageId: string): DocumentReference {
  return db.collection(MEDIA_DOWNLOADS).doc(messageId);
}

/** The item the inbound write makes beside its message, due at once. */
export function newMediaDownloadDoc(message: MessageRecord & { type: string }, source: MediaSource): MediaDownloadDoc {
  const at = toTimestamp(message.updatedAt);
  const { accountId, threadId, messageId, type } = message;
  return { accountId, threadId, messageId, type, source, status: 'queued', attempts: 0, nextAttemptAt: at, leaseUntil: null, claimableAt: at, claimedBy: null, claimEpoch: null, lastError: null, createdAt: at, updatedAt: at };
}
