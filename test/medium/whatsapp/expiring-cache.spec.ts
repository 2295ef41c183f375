import { describe, expect, it } from 'vitest';
import { ExpiringCache } from '../../../src/whatsapp/baileys/expiring-cache';

describe('ExpiringCache (Baileys CacheStore without timers)', () => {
  it('forgets an entry once its TTL has passed', () => {
    let now = 0;
    const cache = new ExpiringCache(1_000, 10, () => now);
    cache.set('a', 1);
    now = 999;
    expect(cache.get('a')).toBe(1);
    now = 1_000;
    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('when full, drops the least recently written entry', () => {
    let now = 0;
    const cache = new ExpiringCache(1_000, 3, () => now);
    for (const key of ['a', 'b', 'c']) {
      now += 1;
      cache.set(key, key);
    }
    cache.set('a', 'a again');
    cache.set('d', 'd');
    expect([cache.get('a'), cache.get('b'), cache.get('c'), cache.get('d')]).toEqual(['a again', undefined, 'c', 'd']);
    expect(cache.size).toBe(3);
  });

  it('del and flushAll remove entries', () => {
    const cache = new ExpiringCache(1_000);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.del('a');
    expect(cache.get('a')).toBeUndefined();
    cache.flushAll();
    expect(cache.size).toBe(0);
  });
});
