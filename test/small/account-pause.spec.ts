import { describe, expect, it } from 'vitest';
import { PastPause, pauseFor } from '../../src/accounts/account-pause';
import { AccountLimit } from '../../src/whatsapp/whatsapp-provider';

const POLICY = { rateOverlimitMs: 60_000, rateOverlimitMaxMs: 15 * 60_000, reachOutLockMs: 60 * 60_000 };
const NOW = 1_000_000_000;
const rate: AccountLimit = { reason: 'rate_overlimit', until: null };
const lock: AccountLimit = { reason: 'reach_out_locked', until: null };
const past = (reason: PastPause['reason'], ms: number, endedAgo: number): PastPause => ({ reason, ms, until: NOW - endedAgo });

describe('how long a pause for WhatsApp limits lasts', () => {
  it.each<[string, AccountLimit, PastPause | undefined, number]>([
    ['a first rate-overlimit: the default', rate, undefined, 60_000],
    ['a rate-overlimit soon after the last one ended: twice as long', rate, past('rate_overlimit', 60_000, 30_000), 120_000],
    ['a repeat of a repeat doubles again', rate, past('rate_overlimit', 240_000, 1_000), 480_000],
    ['doubling stops at the maximum', rate, past('rate_overlimit', 600_000, 1_000), 900_000],
    ['a rate-overlimit long after the last: the default again', rate, past('rate_overlimit', 240_000, 240_001), 60_000],
    ['a rate-overlimit after a lock is no repeat', rate, past('reach_out_locked', 3_600_000, 1_000), 60_000],
    ['a reach-out lock without an end: an hour', lock, undefined, 3_600_000],
    ['a reach-out lock is never doubled', lock, past('reach_out_locked', 3_600_000, 1_000), 3_600_000],
    ["the lock's own end wins", { reason: 'reach_out_locked', until: NOW + 5 * 60_000 }, undefined, 5 * 60_000],
    ['an end already past is no end', { reason: 'reach_out_locked', until: NOW - 1 }, undefined, 3_600_000],
  ])('%s', (_case, limit, last, ms) => {
    expect(pauseFor(limit, last, NOW, POLICY)).toEqual({ reason: limit.reason, ms, until: NOW + ms });
  });
});
