import { randomBytes } from 'node:crypto';

/** The types an app can hear, in the contract's words; `webhook.test` is only ever sent by a test attempt. */
export const EVENT_TYPES = [
  'message.accepted',
  'message.received',
  'message.sent',
  'message.delivered',
  'message.read',
  'message.played',
  'message.failed',
  'message.media_stored',
  'account.status',
  'account.qr',
  'account.created',
  'account.deleted',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/**
 * One entry of the event log, appended in the same write as the change it reports. `subject` is the
 * snapshot at that moment, already in the shape the API answers it (`{ message }`, or `{ account }`
 * with `statusVersion` for account events), so the log needs to know no feature's model.
 */
export interface LoggedEvent {
  eventId: string;
  type: EventType;
  accountId: string;
  occurredAt: number;
  subject: Record<string, unknown>;
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * `evt_` + 10 characters of the time in milliseconds and 16 random ones (Crockford base32, as a ULID):
 * ids sort by time across instances without a counter document, which Firestore would cap at about
 * one write a second.
 */
export function newEventId(now: number): string {
  let time = '';
  for (let rest = now, i = 0; i < 10; i++, rest = Math.floor(rest / 32)) time = CROCKFORD[rest % 32] + time;
  const random = [...randomBytes(16)].map((byte) => CROCKFORD[byte % 32]).join('');
  return `evt_${time}${random}`;
}

export const EVENT_ID_PATTERN = /^evt_[0-9A-HJKMNP-TV-Z]{26}$/;

export function loggedEvent(type: EventType, accountId: string, occurredAt: number, subject: Record<string, unknown>): LoggedEvent {
  return { eventId: newEventId(occurredAt), type, accountId, occurredAt, subject };
}
