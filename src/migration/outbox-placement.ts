import { isAccountId, isRequestId, outboxItemId } from '../common/ids';
import { normalizeJid, threadIdOf } from '../common/jid';
import { MessageRecord } from '../messaging/message';
import { requestHash } from '../messaging/request-hash';
import { OutboxItem, OutboxStatus } from '../outbox/outbox-item';
import { LegacyOutboxItem, isOldLayoutId } from './legacy-records';
import { Placement } from './message-placement';

/** Written as the released item's last error, so an operator reading it knows where it came from. */
export const RELEASE_NOTE = 'left processing by the old code; released by the thread-id migration (the old code may have sent it)';

const OLD_MESSAGE_REF = /^threads\/([^/]+)\/messages\/([^/]+)$/;

/** Where the old item's message lives now: the same message id, in the item's own account's thread. */
export function movedMessageOf(old: LegacyOutboxItem): Placement<{ threadId: string; messageId: string }> {
  if (!isRequestId(old.requestId)) return { unplaceable: 'its id is not a request id' };
  if (!isAccountId(old.accountId)) return { unplaceable: `accountId ${JSON.stringify(old.accountId ?? null)} is not an account id` };
  const ref = OLD_MESSAGE_REF.exec(old.messageRef ?? '');
  if (!ref) return { unplaceable: `messageRef ${JSON.stringify(old.messageRef ?? null)} names no message doc` };
  // A ref already rewritten (`{accountId}__{jid}`) is no old thread: `12345__4071...` would otherwise
  // normalise (the part before `_` is read as a JID user) to another client's thread.
  if (!isOldLayoutId(ref[1])) return { unplaceable: `messageRef's thread ${JSON.stringify(ref[1])} is already a new-layout thread id` };
  const clientJid = normalizeJid(ref[1]);
  if (!clientJid) return { unplaceable: `messageRef's thread ${JSON.stringify(ref[1])} is no person, LID or group JID` };
  return { placed: { threadId: threadIdOf(old.accountId, clientJid), messageId: ref[2] } };
}

/**
 * The new item an old one becomes, next to the message it sends (its migrated copy): the account in the
 * key, `messageRef` rewritten, and one left `processing` by the old code released to `queued` with its
 * claim cleared. Its request hash is recomputed the way the send path computes it now, so a client
 * retrying the same request with the same key still gets the first answer rather than a 409.
 */
export function placeOutboxItem(old: LegacyOutboxItem, message: MessageRecord): Placement<{ item: OutboxItem; released: boolean }> {
  if (message.direction !== 'outbound' || message.seq === undefined) return { unplaceable: 'its message is not an outbound message with a sequence number' };
  if (message.accountId !== old.accountId) return { unplaceable: `its message belongs to account ${message.accountId}` };
  const oldStatus = (old.status ?? 'queued').toLowerCase();
  const status = OLD_OUTBOX_STATUS.get(oldStatus);
  if (!status) return { unplaceable: `status ${JSON.stringify(old.status)} is not an outbox status` };
  const released = oldStatus === 'processing';
  const { accountId, threadId, messageId, waMessageId, clientJid } = message;
  const text = message.text ?? '';
  const createdAt = old.createdAt ?? message.createdAt;
  const updatedAt = old.updatedAt ?? createdAt;
  const ended = status === 'sent' || status === 'failed';
  const item: OutboxItem = {
    id: outboxItemId(accountId, old.requestId),
    accountId,
    requestId: old.requestId,
    threadId,
    messageId,
    messageRef: `threads/${threadId}/messages/${messageId}`,
    waMessageId,
    toJid: clientJid,
    text,
    // The old code bound no phone: the item goes from the phone linked when it is sent, as it did.
    boundPhone: null,
    seq: message.seq,
    status,
    claimedBy: null,
    claimEpoch: null,
    leaseUntil: null,
    // The old code kept no reason, only words: an item it failed keeps those words, with no reason.
    failureReason: null,
    // Kept as they were, the released claim included: that attempt may have reached WhatsApp.
    attempts: old.attempts ?? 0,
    nextAttemptAt: old.nextAttemptAt ?? createdAt,
    lastError: old.lastError ?? (released ? RELEASE_NOTE : null),
    requestHash: requestHash(clientJid, text),
    answer: { requestId: old.requestId, messageId, threadId, waMessageId, status: 'queued' },
    createdAt,
    updatedAt,
    endedAt: ended ? (old.endedAt ?? updatedAt) : null,
  };
  return { placed: { item, released } };
}

const OLD_OUTBOX_STATUS = new Map<string, OutboxStatus>([
  ['queued', 'queued'],
  ['pending', 'queued'],
  ['processing', 'queued'],
  ['sent', 'sent'],
  ['failed', 'failed'],
  ['error', 'failed'],
]);
