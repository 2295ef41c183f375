import { describe, expect, it } from 'vitest';
import { migratedStatus } from '../../../src/migration/legacy-status';

const T = 1_000;

// The old code read Baileys' PENDING=1 / SERVER_ACK=2 / DELIVERY_ACK=3 as sent / delivered / read.
describe('migratedStatus: an old status is trusted one step lower, never higher', () => {
  it.each([
    // old outbound status, its times → trusted status, times, uncertain
    ['queued', {}, 'queued', {}, false],
    ['pending', {}, 'queued', {}, false],
    [undefined, {}, 'queued', {}, false],
    ['sent', { sentAt: T }, 'sent', { sentAt: T }, true],
    ['delivered', { deliveredAt: T + 1 }, 'sent', { sentAt: T + 1 }, true],
    ['delivered', { sentAt: T, deliveredAt: T + 1 }, 'sent', { sentAt: T + 1 }, true],
    ['read', { deliveredAt: T + 1, readAt: T + 2 }, 'delivered', { sentAt: T + 1, deliveredAt: T + 2 }, true],
    ['read', {}, 'delivered', {}, true],
    ['played', { deliveredAt: T + 1, readAt: T + 2, playedAt: T + 3 }, 'read', { sentAt: T + 1, deliveredAt: T + 2, readAt: T + 3 }, true],
    ['failed', { failedAt: T }, 'failed', { failedAt: T }, false],
    ['ERROR', {}, 'failed', {}, false],
    ['something-else', { readAt: T }, 'queued', {}, true],
  ] as const)('outbound %s %j → %s %j (uncertain: %s)', (status, times, expected, expectedTimes, uncertain) => {
    expect(migratedStatus({ direction: 'outbound', status, createdAt: 0, ...times })).toEqual({ status: expected, times: expectedTimes, uncertain });
  });

  it.each(['received', 'read', undefined])('inbound %s → delivered at its own time, certain (no provider code was involved)', (status) => {
    expect(migratedStatus({ direction: 'inbound', status, createdAt: T })).toEqual({ status: 'delivered', times: { deliveredAt: T }, uncertain: false });
  });
});
