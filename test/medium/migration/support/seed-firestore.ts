import { Firestore, Timestamp } from 'firebase-admin/firestore';
import { OLD, OLD_MESSAGES, OLD_OUTBOX, OLD_THREAD_DOCS, WA_ACCOUNTS, oldMessagePath } from './old-layout';

const ts = (ms: number) => Timestamp.fromMillis(ms);

/**
 * The old layout as the old server.js wrote it to Firestore: Timestamps, and over its life more than
 * one shape for a field (the device thread's message has `fromMe`, `body` and WhatsApp's `timestamp` in
 * seconds instead of `direction`, `text` and `createdAt`).
 */
export async function seedOldFirestore(db: Firestore): Promise<void> {
  const batch = db.batch();
  for (const m of OLD_MESSAGES) {
    const times = Object.fromEntries((['sentAt', 'deliveredAt', 'readAt'] as const).filter((f) => m[f] !== undefined).map((f) => [f, ts(m[f]!)]));
    const common = { accountId: m.accountId, status: m.status, updatedAt: ts(m.createdAt), ...(m.waMessageId ? { waMessageId: m.waMessageId } : {}), ...times };
    const fields =
      m.oldThreadId === OLD.device
        ? { ...common, fromMe: m.direction === 'outbound', body: m.text, timestamp: m.createdAt / 1000 }
        : { ...common, direction: m.direction, text: m.text, createdAt: ts(m.createdAt) };
    batch.set(db.doc(oldMessagePath(m.oldThreadId, m.messageId)), fields);
  }
  for (const t of OLD_THREAD_DOCS) {
    batch.set(db.doc(`threads/${t.oldThreadId}`), { accountId: t.accountId, lastMessageAt: ts(t.lastMessageAt), lastMessageText: t.lastMessageText, lastMessageDirection: 'outbound' });
  }
  for (const o of OLD_OUTBOX) {
    batch.set(db.doc(`outbox/${o.requestId}`), {
      accountId: o.accountId,
      threadId: o.oldThreadId,
      messageRef: oldMessagePath(o.oldThreadId, o.messageId),
      status: o.status,
      claimedBy: o.claimedBy ?? null,
      leaseUntil: o.leaseUntil ? ts(o.leaseUntil) : null,
      attempts: o.attempts,
      createdAt: ts(o.createdAt),
      updatedAt: ts(o.createdAt),
    });
  }
  for (const a of WA_ACCOUNTS) {
    batch.set(db.doc(`wa_accounts/${a.accountId}`), { name: a.name, phoneNumber: a.phone, status: a.status, createdAt: ts(a.createdAt), updatedAt: ts(a.updatedAt) });
  }
  await batch.commit();
}
