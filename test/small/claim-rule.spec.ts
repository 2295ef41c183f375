import { describe, expect, it } from 'vitest';
import { ClaimRequest, claimLimit, claimOf, isClaimable } from '../../src/outbox/claim-rule';
import { OutboxItem, OutboxStatus } from '../../src/outbox/outbox-item';

const NOW = 1_000_000;

type ClaimFields = Pick<OutboxItem, 'status' | 'nextAttemptAt' | 'leaseUntil'>;

describe('isClaimable: queued and due, or processing under a lease that ran out; never ahead of its thread', () => {
  it.each<[string, boolean, ClaimFields]>([
    ['a queued item due before now', true, { status: 'queued', nextAttemptAt: NOW - 1, leaseUntil: null }],
    ['a queued item due exactly now', true, { status: 'queued', nextAttemptAt: NOW, leaseUntil: null }],
    ['a queued item due a millisecond later (its backoff still running)', false, { status: 'queued', nextAttemptAt: NOW + 1, leaseUntil: null }],
    ['a processing item whose lease ran out before now (its claimant died)', true, { status: 'processing', nextAttemptAt: NOW, leaseUntil: NOW - 1 }],
    ['a processing item whose lease ends exactly now', true, { status: 'processing', nextAttemptAt: NOW, leaseUntil: NOW }],
    ['a processing item whose lease runs a millisecond more', false, { status: 'processing', nextAttemptAt: NOW, leaseUntil: NOW + 1 }],
    ['a processing item with no lease', false, { status: 'processing', nextAttemptAt: NOW - 1, leaseUntil: null }],
    ['a processing item still leased though its attempt was due long ago', false, { status: 'processing', nextAttemptAt: 0, leaseUntil: NOW + 60_000 }],
    ['a sent item, however old', false, { status: 'sent', nextAttemptAt: 0, leaseUntil: 0 }],
    ['a failed item, however old', false, { status: 'failed', nextAttemptAt: 0, leaseUntil: 0 }],
  ])('%s: claimable %s', (_behaviour, expected, item) => {
    expect(isClaimable(item, NOW, false)).toBe(expected);
  });

  it.each<[OutboxStatus, ClaimFields]>([
    ['queued', { status: 'queued', nextAttemptAt: 0, leaseUntil: null }],
    ['processing', { status: 'processing', nextAttemptAt: 0, leaseUntil: 0 }],
  ])('a %s item behind an open item of its thread waits, due or not', (_status, item) => {
    expect(isClaimable(item, NOW, false)).toBe(true);
    expect(isClaimable(item, NOW, true)).toBe(false);
  });
});

describe('claimLimit: perAccount, or the account room when that is less', () => {
  const request = (perAccount: number): ClaimRequest => ({ owner: 'worker-1/abc', accounts: [], now: NOW, leaseMs: 30_000, perAccount });

  it.each<[string, number, number | undefined, number]>([
    ['no room given: perAccount', 5, undefined, 5],
    ['room less than perAccount: the room', 5, 2, 2],
    ['room equal to perAccount', 5, 5, 5],
    ['room more than perAccount: still perAccount (fairness across accounts)', 5, 9, 5],
    ['no room left: nothing', 5, 0, 0],
  ])('%s (perAccount %i, room %s: %i)', (_behaviour, perAccount, limit, expected) => {
    expect(claimLimit(request(perAccount), { accountId: 'acc1', ownerEpoch: 1, limit })).toBe(expected);
  });
});

describe('claimOf: the claim a worker holds is the item id, its claimant and its attempt count', () => {
  it.each([
    ['a first attempt', 'worker-1/abc', 1],
    ['a retry by another instance', 'worker-2/def', 3],
  ])('%s (%s, attempt %i)', (_behaviour, claimedBy, attempts) => {
    const item = { id: 'acc1__req-1', claimedBy, attempts, status: 'processing', leaseUntil: NOW + 30_000 } as OutboxItem;
    expect(claimOf(item)).toEqual({ id: 'acc1__req-1', claimedBy, attempts });
  });
});
