import { DocumentData } from 'firebase-admin/firestore';
import { StatusTimes } from '../../messaging/message-status';
import { dropUndefined, legacyCount, legacyDirection, legacyString, legacyTime } from '../legacy-fields';
import { LegacyAccount, LegacyMessage, LegacyOutboxItem } from '../legacy-records';

/**
 * The old Firestore docs as the old server.js wrote them (see docs/migration.md for each field read and
 * its fallbacks). Only these readers know the old field names.
 */

/** `threads/{remoteJid}/messages/{messageId}`. */
export function legacyMessageOf(oldThreadId: string, messageId: string, doc: DocumentData): LegacyMessage {
  const message: LegacyMessage = {
    oldThreadId,
    messageId,
    accountId: legacyString(doc.accountId),
    direction: legacyDirection(doc.direction, doc.fromMe),
    text: legacyString(doc.text) ?? legacyString(doc.body) ?? null,
    status: legacyString(doc.status),
    waMessageId: legacyString(doc.waMessageId),
    requestId: legacyString(doc.requestId),
    error: legacyString(doc.error),
    participant: legacyString(doc.participant),
    mediaType: legacyString(doc.mediaType),
    createdAt: legacyTime(doc.createdAt) ?? legacyTime(doc.timestamp),
    updatedAt: legacyTime(doc.updatedAt),
    ...statusTimesOf(doc),
  };
  return dropUndefined(message);
}

/** `outbox/{requestId}`. */
export function legacyOutboxItemOf(requestId: string, doc: DocumentData): LegacyOutboxItem {
  return dropUndefined({
    requestId,
    accountId: legacyString(doc.accountId),
    messageRef: legacyString(doc.messageRef),
    status: legacyString(doc.status),
    attempts: legacyCount(doc.attempts),
    nextAttemptAt: legacyTime(doc.nextAttemptAt),
    lastError: legacyString(doc.lastError),
    createdAt: legacyTime(doc.createdAt),
    updatedAt: legacyTime(doc.updatedAt),
    endedAt: legacyTime(doc.endedAt),
  });
}

/** `wa_accounts/{accountId}`. */
export function legacyAccountOf(accountId: string, doc: DocumentData): LegacyAccount {
  return dropUndefined({
    accountId,
    name: legacyString(doc.name),
    phone: legacyString(doc.phone) ?? legacyString(doc.phoneNumber),
    status: legacyString(doc.status),
    createdAt: legacyTime(doc.createdAt),
    updatedAt: legacyTime(doc.updatedAt),
  });
}

function statusTimesOf(doc: DocumentData): StatusTimes {
  return {
    sentAt: legacyTime(doc.sentAt),
    failedAt: legacyTime(doc.failedAt),
    deliveredAt: legacyTime(doc.deliveredAt),
    readAt: legacyTime(doc.readAt),
    playedAt: legacyTime(doc.playedAt),
  };
}
