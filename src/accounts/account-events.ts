import { EventType, LoggedEvent, loggedEvent } from '../events/event';
import { AccountRecord } from './account';
import { accountAnswer } from './account-answer';

/**
 * What an account write is news of, from the account before and after it: a change of status, of its
 * reason, or of its pause for WhatsApp's limits (`account.status`, numbered by `statusVersion`; a pause
 * set, made longer or lifted leaves the status as it is, but an app must learn when sends wait), and a new
 * login QR (`account.qr`, which never carries the QR: any instance serves it from the account). An owner
 * or a lease moving is not news.
 */
export function accountChanges(before: AccountRecord, after: AccountRecord): { status: boolean; qr: boolean } {
  return {
    status:
      before.status !== after.status ||
      before.lastDisconnectReason !== after.lastDisconnectReason ||
      before.pausedUntil !== after.pausedUntil ||
      before.pauseReason !== after.pauseReason,
    qr: after.qr !== null && after.qr !== before.qr,
  };
}

export function accountEvent(type: EventType, account: AccountRecord, occurredAt: number, statusVersion?: number): LoggedEvent {
  return loggedEvent(type, account.accountId, occurredAt, { account: accountAnswer(account), ...(statusVersion === undefined ? {} : { statusVersion }) });
}
