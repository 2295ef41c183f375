/**
 * Per-account pacing against WhatsApp's anti-spam limits: after a claim, the account's next claim waits
 * at least the minimum interval plus up to half of it again in jitter. The wait is before the claim,
 * never between claim and send (a claimed item's lease is already running).
 */
export class SendPacing {
  private readonly nextAllowedAt = new Map<string, number>();

  constructor(
    private readonly minIntervalMs: number,
    private readonly random: () => number = Math.random,
  ) {}

  get enabled(): boolean {
    return this.minIntervalMs > 0;
  }

  mayClaim(accountId: string, now: number): boolean {
    return (this.nextAllowedAt.get(accountId) ?? 0) <= now;
  }

  claimed(accountId: string, now: number): void {
    if (!this.enabled) return;
    this.nextAllowedAt.set(accountId, now + this.minIntervalMs + Math.round(this.random() * this.minIntervalMs * 0.5));
  }

  forget(accountId: string): void {
    this.nextAllowedAt.delete(accountId);
  }
}
