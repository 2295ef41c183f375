import { EventType, LoggedEvent, loggedEvent } from '../events/event';
import { AccountRecord } from './account';
import { accountAnswer } from './account-answer';

/**
 * What an account write is news of, from the account before and after it: a change of status or of its
 * reason (`account.status`, numbered by `statusVersion`), a new login QR (`account.qr`, which never
 * carries the QR: any instance serves it from the account), and a pause for WhatsApp's limits set or
 * lifted (`account.paused`, `account.resumed`). An owner or a lease moving is not news.
 */
export function accountChanges(before: AccountRecord, after: AccountRecord): { status: boolean; qr: boolean; paused: boolean; resumed: boolean } {
  return {
    status: before.status !== after.status || before.lastDisconnectReason !== after.lastDisconnectReason,
    qr: after.qr !== null && after.qr !== before.qr,
    // A pause made longer (a repeat, or the lock's end learnt later) is news too: the time is the subject.
    paused: after.pausedUntil !== null && after.pausedUntil !== before.pausedUntil,
    resumed: before.pausedUntil !== null && after.pausedUntil === null,
  };
}

export function accountEvent(type: EventType, account: AccountRecord, occurredAt: number, statusVersion?: number): LoggedEvent {
  return loggedEvent(type, account.accountId, occurredAt, { account: accountAnswer(account), ...(statusVersion === undefined ? {} : { statusVersion }) });
}
