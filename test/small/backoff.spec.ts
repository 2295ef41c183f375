import { describe, expect, it } from 'vitest';
import { RECONNECT_BACKOFF } from '../../src/accounts/connection-policy';
import { BackoffPolicy, backoffDelay } from '../../src/common/backoff';
import { RETRY_BACKOFF } from '../../src/outbox/send-attempts';

const POLICY: BackoffPolicy = { baseMs: 1_000, maxMs: 8_000 };

/** The shortest and the longest wait of an attempt: the jitter's two ends (Math.random stays below 1). */
function waits(attempt: number, policy: BackoffPolicy): [number, number] {
  return [backoffDelay(attempt, policy, () => 0), backoffDelay(attempt, policy, () => 1)];
}

describe('backoffDelay: capped exponential backoff with equal jitter', () => {
  it.each([
    ['attempt 1 waits between half the base and the base', 1, [500, 1_000]],
    ['attempt 2 waits twice as long', 2, [1_000, 2_000]],
    ['attempt 4 reaches the cap exactly', 4, [4_000, 8_000]],
    ['attempt 5 would double past the cap: it stays at the cap', 5, [4_000, 8_000]],
    ['an attempt so high that 2^n overflows still stays at the cap', 10_000, [4_000, 8_000]],
    ['attempt 0 waits as attempt 1', 0, [500, 1_000]],
    ['a negative attempt waits as attempt 1', -3, [500, 1_000]],
  ] as const)('%s (attempt %i)', (_behaviour, attempt, expected) => {
    expect(waits(attempt, POLICY)).toEqual(expected);
  });

  it.each([
    [0.25, 625],
    [0.5, 750],
    [0.75, 875],
  ])('the jitter spreads the upper half evenly: random %d waits %i on attempt 1', (random, expected) => {
    expect(backoffDelay(1, POLICY, () => random)).toBe(expected);
  });

  it.each([
    [{ baseMs: 3, maxMs: 100 }, 0, 2],
    [{ baseMs: 1_001, maxMs: 10_000 }, 0.3, 651],
  ])('waits whole milliseconds, rounded (%j, random %d: %i)', (policy, random, expected) => {
    expect(backoffDelay(1, policy, () => random)).toBe(expected);
  });

  it('a cap below the base caps the first attempt too', () => {
    expect(waits(1, { baseMs: 10_000, maxMs: 4_000 })).toEqual([2_000, 4_000]);
  });
});

describe('the policies in use', () => {
  it.each([
    ['a failed send is retried after 1-2 s first', 1, [1_000, 2_000]],
    ['the 8th retry waits 128-256 s', 8, [128_000, 256_000]],
    ['from the 9th retry on, at most 5 minutes', 9, [150_000, 300_000]],
    ['the 30th retry too', 30, [150_000, 300_000]],
  ] as const)('RETRY_BACKOFF: %s', (_behaviour, attempt, expected) => {
    expect(waits(attempt, RETRY_BACKOFF)).toEqual(expected);
  });

  it.each([
    ['a closed socket reconnects after 0.5-1 s first', 1, [500, 1_000]],
    ['the 6th close in a row waits 16-32 s', 6, [16_000, 32_000]],
    ['from the 7th close in a row on, at most a minute', 7, [30_000, 60_000]],
  ] as const)('RECONNECT_BACKOFF: %s', (_behaviour, attempt, expected) => {
    expect(waits(attempt, RECONNECT_BACKOFF)).toEqual(expected);
  });
});
