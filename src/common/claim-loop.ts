import { Logger } from '@nestjs/common';

/** What one round may claim: every key (the poll) or only the stirred ones, and each key's room. */
export interface ClaimRound {
  /** The poll's round: retries come due and leases of dead claimants run out on keys nobody stirred. */
  every: boolean;
  /** Keys that may have a newly claimable item since the last round. */
  stirred: ReadonlySet<string>;
  /** How many more of the key's items may be in flight in this process. */
  room(key: string): number;
  /** Looked at again in the next round of any kind (paced, or at its cap). */
  later(key: string): void;
}

/** A kind of work item on the claim engine: what a key is, what a round claims, how one attempt runs. */
export interface ClaimKind<T> {
  claim(round: ClaimRound): Promise<T[]>;
  keyOf(item: T): string;
  /** Records its own outcome under its claim; a throw is only logged (the claim's lease runs out). */
  attempt(item: T): Promise<void>;
}

/**
 * The claim engine's scheduling, the same for every kind of work (outbox sends keyed by account, webhook
 * deliveries keyed by endpoint): rounds never overlap; a round claims for the keys stirred since the last
 * one, or for every key when triggered (the poll); attempts are counted per key so each claim takes only
 * the key's room under its in-flight cap, and a finished attempt stirs its key (its next item may wait on
 * it). The claim itself, under a lease with its attempt count, is the kind's store adapter (claim-rule.ts).
 */
export class ClaimLoop<T> {
  private readonly logger: Logger;
  private readonly inFlight = new Map<string, number>();
  private readonly attempts = new Set<Promise<void>>();
  private readonly stirred = new Set<string>();
  private readonly drainWaiters = new Map<string, Array<() => void>>();
  private every = true;
  private round: Promise<void> | null = null;
  private again = false;
  private stopped = false;

  constructor(
    name: string,
    private readonly kind: ClaimKind<T>,
    private readonly maxInFlightPerKey: number,
  ) {
    this.logger = new Logger(name);
  }

  /** Runs a round for every key now, or right after the one under way (never two at once). */
  trigger(): void {
    this.every = true;
    this.run();
  }

  /** A round for this key (and any other stirred meanwhile) only. */
  stir(key: string): void {
    this.stirred.add(key);
    this.run();
  }

  /** No round starts after this; attempts under way go on (idle() waits for them). */
  stop(): void {
    this.stopped = true;
  }

  /** Resolves once no round runs and no attempt is in flight (what shutdown waits for). */
  async idle(): Promise<void> {
    while (this.round || this.attempts.size > 0) {
      await this.round;
      await Promise.allSettled([...this.attempts]);
    }
  }

  /**
   * Resolves once none of the key's attempts is in flight. The caller has already made its rounds pass the
   * key by; a round under way may still claim for it, so that round is waited for first.
   */
  async drained(key: string): Promise<void> {
    await this.round;
    if ((this.inFlight.get(key) ?? 0) === 0) return;
    await new Promise<void>((resolve) => this.drainWaiters.set(key, [...(this.drainWaiters.get(key) ?? []), resolve]));
  }

  private run(): void {
    if (this.stopped) return;
    if (this.round) {
      this.again = true;
      return;
    }
    this.round = this.claimAndAttempt()
      .catch((error: unknown) => this.logger.error({ err: error }, 'claim round failed'))
      .finally(() => {
        this.round = null;
        if (this.again) {
          this.again = false;
          this.run();
        }
      });
  }

  private async claimAndAttempt(): Promise<void> {
    const stirred = new Set(this.stirred);
    const round: ClaimRound = {
      every: this.every,
      stirred,
      room: (key) => this.maxInFlightPerKey - (this.inFlight.get(key) ?? 0),
      later: (key) => this.stirred.add(key),
    };
    this.every = false;
    this.stirred.clear();
    for (const item of await this.kind.claim(round)) this.track(this.kind.keyOf(item), this.kind.attempt(item));
  }

  private track(key: string, attempt: Promise<void>): void {
    this.inFlight.set(key, (this.inFlight.get(key) ?? 0) + 1);
    this.attempts.add(attempt);
    void attempt
      .catch((error: unknown) => this.logger.error({ err: error, key }, 'attempt failed unexpectedly'))
      .finally(() => {
        this.attempts.delete(attempt);
        const left = (this.inFlight.get(key) ?? 1) - 1;
        this.inFlight.set(key, left);
        if (left === 0) for (const resolve of this.drainWaiters.get(key) ?? []) resolve();
        if (left === 0) this.drainWaiters.delete(key);
        this.stir(key);
      });
  }
}
