import { outboxItemId } from '../common/ids';
import { AcceptedSend } from '../messaging/send-acceptance';
import { OutboxItem } from './outbox-item';

/** The outbox item an accepted send becomes; both adapters write exactly this. */
export function outboxItemFor(send: AcceptedSend, seq: number, boundPhone: string | null): OutboxItem {
  const messageRef = `threads/${send.threadId}/messages/${send.messageId}`;
  return {
    id: outboxItemId(send.accountId, send.requestId),
    accountId: send.accountId,
    requestId: send.requestId,
    threadId: send.threadId,
    messageId: send.messageId,
    messageRef,
    waMessageId: send.waMessageId,
    toJid: send.clientJid,
    text: send.text ?? '',
    ...(send.media ? { media: send.media } : {}),
    boundPhone,
    seq,
    status: 'queued',
    claimedBy: null,
    claimEpoch: null,
    leaseUntil: null,
    attempts: 0,
    nextAttemptAt: send.now,
    lastError: null,
    failureReason: null,
    requestHash: send.requestHash,
    answer: { requestId: send.requestId, messageId: send.messageId, threadId: send.threadId, waMessageId: send.waMessageId, status: 'queued' },
    createdAt: send.now,
    updatedAt: send.now,
    endedAt: null,
  };
}
