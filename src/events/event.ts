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

let last: { now: number; random: number[] } = { now: -1, random: [] };

/**
 * `evt_` + 10 characters of the time in milliseconds and 16 random ones (Crockford base32, as a ULID):
 * ids sort by time across instances without a counter document, which Firestore would cap at about
 * one write a second. Ids made for the same millisecond in one process count up from the first (a
 * monotonic ULID): the events of one write (a status and its QR) share a commit time on Firestore,
 * where the id alone keeps them in the order they were appended.
 */
export function newEventId(now: number): string {
  let time = '';
  for (let rest = now, i = 0; i < 10; i++, rest = Math.floor(rest / 32)) time = CROCKFORD[rest % 32] + time;
  last = now === last.now ? { now, random: incremented(last.random) } : { now, random: [...randomBytes(16)].map((byte) => byte % 32) };
  return `evt_${time}${last.random.map((digit) => CROCKFORD[digit]).join('')}`;
}

/** One more, in base 32; the 80 random bits never run out within a millisecond in practice, and wrap if they did. */
function incremented(digits: number[]): number[] {
  const next = [...digits];
  for (let i = next.length - 1; i >= 0; i--) {
    next[i] = (next[i] + 1) % 32;
    if (next[i] !== 0) break;
  }
  return next;
}

export const EVENT_ID_PATTERN = /^evt_[0-9A-HJKMNP-TV-Z]{26}$/;

export function loggedEvent(type: EventType, accountId: string, occurredAt: number, subject: Record<string, unknown>): LoggedEvent {
  return { eventId: newEventId(occurredAt), type, accountId, occurredAt, subject };
}
