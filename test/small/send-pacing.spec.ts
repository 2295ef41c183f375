import { describe, expect, it } from 'vitest';
import { SendPacing } from '../../src/outbox/send-pacing';

const NOW = 1_000_000;
const MIN_INTERVAL = 2_000;

describe('SendPacing: after a claim, the account waits the minimum interval plus up to half of it in jitter', () => {
  it.each([
    ['no minimum interval', false, 0],
    ['a negative interval', false, -1],
    ['a one-millisecond interval', true, 1],
  ])('%s: paced %s', (_behaviour, enabled, minIntervalMs) => {
    expect(new SendPacing(minIntervalMs).enabled).toBe(enabled);
  });

  it.each([
    ['no jitter', 2_000, 0],
    ['half the jitter', 2_500, 0.5],
    ['the most jitter', 3_000, 1],
    ['jitter rounded to whole milliseconds', 2_000, 0.0003],
  ])('with %s the next claim may come %i ms after a claim, not a millisecond before', (_behaviour, waitMs, random) => {
    const pacing = new SendPacing(MIN_INTERVAL, () => random);
    pacing.claimed('acc1', NOW);
    const nextAllowedAt = NOW + waitMs;
    expect(pacing.mayClaim('acc1', nextAllowedAt - 1)).toBe(false);
    expect(pacing.mayClaim('acc1', nextAllowedAt)).toBe(true);
  });

  it.each([
    ['an account never claimed for may claim at once', (_pacing: SendPacing) => undefined, 'acc1', true],
    ['a claim paces only its own account', (pacing: SendPacing) => pacing.claimed('acc2', NOW), 'acc1', true],
    ['a claimed account waits', (pacing: SendPacing) => pacing.claimed('acc1', NOW), 'acc1', false],
    [
      'a forgotten account (disconnected, handed over) may claim at once',
      (pacing: SendPacing) => {
        pacing.claimed('acc1', NOW);
        pacing.forget('acc1');
      },
      'acc1',
      true,
    ],
    [
      'the latest claim counts, not the first',
      (pacing: SendPacing) => {
        pacing.claimed('acc1', NOW - 10_000);
        pacing.claimed('acc1', NOW);
      },
      'acc1',
      false,
    ],
  ])('%s', (_behaviour, before, accountId, mayClaim) => {
    const pacing = new SendPacing(MIN_INTERVAL, () => 0);
    before(pacing);
    expect(pacing.mayClaim(accountId, NOW + 1)).toBe(mayClaim);
  });

  it('without a minimum interval a claim never holds back the next one', () => {
    const pacing = new SendPacing(0, () => 1);
    pacing.claimed('acc1', NOW);
    expect(pacing.mayClaim('acc1', NOW)).toBe(true);
  });
});
