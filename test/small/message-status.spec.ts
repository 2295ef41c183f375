import { describe, expect, it } from 'vitest';
import { MESSAGE_STATUSES, MessageStatus, STATUS_TIME_FIELD, isAcknowledged, movesForward, statusRank } from '../../src/messaging/message-status';

describe('statusRank: one number per status, in the order a send lives through them', () => {
  it.each<[MessageStatus, number]>([
    ['queued', 0],
    ['sent', 1],
    ['failed', 2],
    ['delivered', 3],
    ['read', 4],
    ['played', 5],
  ])('%s ranks %i', (status, rank) => {
    expect(statusRank(status)).toBe(rank);
  });

  it('lists the statuses in rank order, no two on one rank', () => {
    expect(MESSAGE_STATUSES.map(statusRank)).toEqual([0, 1, 2, 3, 4, 5]);
  });
});

describe('movesForward: a status only ever moves up', () => {
  it.each<[string, MessageStatus, MessageStatus, boolean]>([
    ['the server ack moves a queued send on', 'queued', 'sent', true],
    ['a receipt may skip steps', 'queued', 'read', true],
    ['a rejection fails a sent message', 'sent', 'failed', true],
    ['a rejection fails a queued message', 'queued', 'failed', true],
    ['a delivery receipt after a failure proves the message arrived', 'failed', 'delivered', true],
    ['a late server ack never hides a failure', 'failed', 'sent', false],
    ['a late rejection never fails a delivered message', 'delivered', 'failed', false],
    ['a late rejection never fails a read message', 'read', 'failed', false],
    ['a late delivery receipt never undoes a read', 'read', 'delivered', false],
    ['played is the top: nothing moves past it', 'played', 'read', false],
    ['nothing goes back to queued', 'sent', 'queued', false],
  ])('%s (%s -> %s: %s)', (_behaviour, current, next, expected) => {
    expect(movesForward(current, next)).toBe(expected);
  });

  it.each(MESSAGE_STATUSES)('the same status again is no move (%s)', (status) => {
    expect(movesForward(status, status)).toBe(false);
  });
});

describe('isAcknowledged: the statuses that prove WhatsApp has the message', () => {
  // A Record, so a new status fails the type-check until someone decides whether it proves WhatsApp has the message.
  const acknowledged: Record<MessageStatus, boolean> = { queued: false, sent: true, failed: false, delivered: true, read: true, played: true };

  it.each(Object.entries(acknowledged) as Array<[MessageStatus, boolean]>)('%s: %s', (status, expected) => {
    expect(isAcknowledged(status)).toBe(expected);
  });

  it('is not "ranked at least sent": failed sits above sent yet proves nothing', () => {
    expect(statusRank('failed')).toBeGreaterThan(statusRank('sent'));
    expect(isAcknowledged('failed')).toBe(false);
  });
});

describe('STATUS_TIME_FIELD: each status reached after queued has its own time field', () => {
  it.each([
    ['sent', 'sentAt'],
    ['failed', 'failedAt'],
    ['delivered', 'deliveredAt'],
    ['read', 'readAt'],
    ['played', 'playedAt'],
  ] as const)('%s is recorded in %s', (status, field) => {
    expect(STATUS_TIME_FIELD[status]).toBe(field);
  });

  it('has a field for every status but queued (whose time is createdAt), no two alike', () => {
    expect(Object.keys(STATUS_TIME_FIELD).sort()).toEqual(MESSAGE_STATUSES.filter((status) => status !== 'queued').sort());
    expect(new Set(Object.values(STATUS_TIME_FIELD)).size).toBe(Object.keys(STATUS_TIME_FIELD).length);
  });
});
