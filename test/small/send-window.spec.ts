import { describe, expect, it } from 'vitest';
import { SendWindow, accountLeaseLeaves, shortLease } from '../../src/outbox/send-window';

const NOW = 1_000_000;
const WINDOW: SendWindow = { claimMs: 20_000, accountMs: 15_000 };

describe('accountLeaseLeaves: the account lease has at least accountMs left', () => {
  it.each([
    ['plenty left', true, 60_000],
    ['exactly accountMs left', true, 15_000],
    ['a millisecond short', false, 14_999],
    ['ending now', false, 0],
    ['already run out', false, -1],
  ])('%s: %s (%i ms left)', (_behaviour, leaves, leftMs) => {
    expect(accountLeaseLeaves(NOW + leftMs, NOW, WINDOW)).toBe(leaves);
  });
});

describe('shortLease: which lease is too short for the send to start now', () => {
  it.each([
    ['both leave exactly enough', null, 20_000, 15_000],
    ['the claim a millisecond short', 'claim', 19_999, 60_000],
    ['the claim run out (a stalled event loop)', 'claim', -1, 60_000],
    ['the account lease a millisecond short', 'account', 60_000, 14_999],
    ['the account lease run out', 'account', 60_000, -1],
    ['both short: the claim is named first', 'claim', 19_999, 14_999],
  ] as const)('%s: %s (claim %i ms left, account %i ms left)', (_behaviour, short, claimLeftMs, accountLeftMs) => {
    expect(shortLease(NOW + claimLeftMs, NOW + accountLeftMs, NOW, WINDOW)).toBe(short);
  });

  it('judges each lease by its own margin: 17 s left of both is short of a 20 s claim margin, not of a 15 s account one', () => {
    expect(shortLease(NOW + 17_000, NOW + 17_000, NOW, WINDOW)).toBe('claim');
    expect(shortLease(NOW + 17_000, NOW + 17_000, NOW, { claimMs: 15_000, accountMs: 20_000 })).toBe('account');
  });
});
