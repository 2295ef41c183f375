import type { CacheStore } from '@whiskeysockets/baileys';

/**
 * A small TTL cache for Baileys' `CacheStore` slots, without timers. Baileys' default (`@cacheable/node-cache`)
 * runs a sweep interval per instance that keeps the cache alive until `close()`; with hundreds of accounts
 * reconnecting, caches we create must not leave intervals behind. Expired entries go on read, and the
 * oldest go when the cache is full.
 */
export class ExpiringCache implements CacheStore {
  private readonly entries = new Map<string, { value: unknown; expiresAt: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  get<T>(key: string): T | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value as T;
  }

  set<T>(key: string, value: T): void {
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) this.evictOldest();
    this.entries.set(key, { value, expiresAt: this.now() + this.ttlMs });
  }

  del(key: string): void {
    this.entries.delete(key);
  }

  flushAll(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }

  private evictOldest(): void {
    // One TTL for all and `set` re-inserts, so Map order is expiry order: the front holds the oldest.
    const now = this.now();
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt > now && this.entries.size < this.maxEntries) break;
      this.entries.delete(key);
    }
  }
}
