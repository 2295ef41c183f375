import { InstanceRecord } from './instance-registry';

/** An instance's even share of the accounts: ceil(A/N) (CONTRACT "Scale and faults"). */
export function evenShare(accounts: number, instances: number): number {
  return Math.ceil(accounts / Math.max(1, instances));
}

/**
 * Whether the fleet has settled: its live instances (each incarnation) unchanged for `settleMs`, three
 * account leases, as this instance has seen them round after round. Until then nobody hands off, so a join
 * or a leave is seen by every instance before accounts move because of it.
 */
export class FleetWatch {
  private members: string | null = null;
  private changedAt = 0;

  constructor(private readonly settleMs: number) {}

  settled(live: InstanceRecord[], now: number): boolean {
    const members = live.map((instance) => `${instance.workerId}@${instance.startedAt}`).join(',');
    if (members !== this.members) {
      this.members = members;
      this.changedAt = now;
    }
    return now - this.changedAt >= this.settleMs;
  }
}
