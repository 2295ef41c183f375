import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { AccountKey } from './account-key';
import { AccountKeyRepository } from './account-key.repository';

/** A lookup is trusted this long: a key deleted on any instance is refused everywhere soon after (the contract says 5 s). */
export const KEY_LOOKUP_TTL_MS = 2_000;
/** Lookups of keyIds that do not exist are kept too (a guessing client would reread the store each time); this bounds them. */
const MAX_ENTRIES = 10_000;

interface Lookup {
  readonly until: number;
  readonly key: Promise<AccountKey | null>;
}

/** Account keys by keyId, read through the repository at most once per TTL per instance; concurrent asks share one read. */
@Injectable()
export class AccountKeyLookup {
  private readonly lookups = new Map<string, Lookup>();

  constructor(
    private readonly keys: AccountKeyRepository,
    private readonly clock: Clock,
  ) {}

  find(keyId: string): Promise<AccountKey | null> {
    const now = this.clock.now();
    const kept = this.lookups.get(keyId);
    if (kept && kept.until > now) return kept.key;
    if (this.lookups.size >= MAX_ENTRIES) this.dropExpired(now);
    const lookup = { until: now + KEY_LOOKUP_TTL_MS, key: this.keys.get(keyId) };
    // A failed read is not kept: the next request asks the store again.
    lookup.key.catch(() => this.lookups.get(keyId) === lookup && this.lookups.delete(keyId));
    this.lookups.delete(keyId);
    this.lookups.set(keyId, lookup);
    return lookup.key;
  }

  private dropExpired(now: number): void {
    for (const [keyId, lookup] of this.lookups) if (lookup.until <= now) this.lookups.delete(keyId);
    // Still full of live entries: drop the oldest (a Map iterates in insertion order).
    for (const keyId of this.lookups.keys()) {
      if (this.lookups.size < MAX_ENTRIES) break;
      this.lookups.delete(keyId);
    }
  }
}
