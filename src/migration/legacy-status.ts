import { Direction } from '../messaging/message';
import { MessageStatus, StatusTimes } from '../messaging/message-status';

export interface MigratedStatus {
  status: MessageStatus;
  times: StatusTimes;
  /** The old code wrote it from provider codes it read one too low: the status is a floor, not a fact. */
  uncertain: boolean;
}

type OldStatusEvidence = { direction: Direction; status?: string; createdAt: number } & StatusTimes;

/**
 * The status an old message is trusted with. The old code mapped Baileys' status numbers 1/2/3 to
 * sent/delivered/read, one too low (PENDING=1, SERVER_ACK=2, DELIVERY_ACK=3, READ=4), so its `delivered`
 * proves only that WhatsApp's server took the message (sent) and its `read` only that it was delivered.
 * Each outbound status it wrote therefore moves one step down (`sent` stays `sent`: the old send loop
 * also wrote it once the socket took the message) and is marked uncertain. Moving down is the safe
 * direction: statuses only move forward, so a real receipt arriving later still lifts the message, while
 * a status set too high could never be corrected.
 * Times follow the same reading: the time the old code labelled `delivered` is when the message was sent,
 * and so on; a time for a status above the trusted one is dropped.
 */
export function migratedStatus(message: OldStatusEvidence): MigratedStatus {
  // Inbound messages got no provider status codes: as the inbound path writes them, they reached us.
  if (message.direction === 'inbound') return { status: 'delivered', times: { deliveredAt: message.deliveredAt ?? message.createdAt }, uncertain: false };
  const old = (message.status ?? 'queued').toLowerCase();
  switch (old) {
    case 'queued':
    case 'pending':
      return { status: 'queued', times: {}, uncertain: false };
    case 'failed':
    case 'error':
      // Written by the old send loop on a send error, not from a provider code.
      return { status: 'failed', times: defined({ sentAt: message.sentAt, failedAt: message.failedAt }), uncertain: false };
    case 'sent':
      return { status: 'sent', times: defined({ sentAt: message.sentAt }), uncertain: true };
    case 'delivered':
      return { status: 'sent', times: defined({ sentAt: message.deliveredAt ?? message.sentAt }), uncertain: true };
    case 'read':
      return { status: 'delivered', times: defined({ sentAt: message.deliveredAt ?? message.sentAt, deliveredAt: message.readAt }), uncertain: true };
    case 'played':
      return { status: 'read', times: defined({ sentAt: message.deliveredAt ?? message.sentAt, deliveredAt: message.readAt, readAt: message.playedAt }), uncertain: true };
    default:
      // A status this migration does not know: trust nothing beyond what was accepted.
      return { status: 'queued', times: {}, uncertain: true };
  }
}

function defined(times: StatusTimes): StatusTimes {
  return Object.fromEntries(Object.entries(times).filter(([, at]) => at !== undefined));
}
