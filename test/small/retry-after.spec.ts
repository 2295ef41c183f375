import { describe, expect, it } from 'vitest';
import { MAX_RETRY_AFTER_MS, retryAfterMs } from '../../src/webhooks/retry-after';

const NOW = Date.parse('Wed, 02 Dec 2026 10:00:00 GMT');

describe("a receiver's Retry-After, in milliseconds from now", () => {
  it.each<[string | string[] | undefined, number | undefined]>([
    ['0', 0],
    ['120', 120_000],
    [' 30 ', 30_000],
    ['3600', MAX_RETRY_AFTER_MS],
    ['86400', MAX_RETRY_AFTER_MS],
    ['Wed, 02 Dec 2026 10:02:00 GMT', 120_000],
    ['Wednesday, 02-Dec-26 10:00:30 GMT', 30_000],
    ['Wed, 02 Dec 2026 09:00:00 GMT', 0],
    ['Thu, 03 Dec 2026 10:00:00 GMT', MAX_RETRY_AFTER_MS],
    [['5', '10'], 5_000],
    [undefined, undefined],
    ['', undefined],
    ['-5', undefined],
    ['1.5', undefined],
    ['soon', undefined],
    ['Wed, 99 Foo 2026', undefined],
  ])('%j -> %s', (header, expected) => {
    expect(retryAfterMs(header, NOW)).toBe(expected);
  });
});
