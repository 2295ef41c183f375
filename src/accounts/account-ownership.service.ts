import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { AccountConnections } from './account-connections.service';
import { AccountDrains } from './account-drains';
import { AccountPauses } from './account-pauses.service';
import { AccountRepository } from './account.repository';
import { FleetWatch, evenShare } from './fleet-share';
import { InstanceRegistry } from './instance-registry';
import { LiveAccount } from './live-account';
import { OperatorRequests } from './operator-requests';
import { PairingRelay } from './pairing-relay';

/** What this instance makes of the fleet in one round. */
interface FleetView {
  /** ceil(A/N): the accounts (logged-out ones aside) over the live instances, this one included. */
  share: number;
  settled: boolean;
}

/**
 * Which instance holds which account. Every third of the lease this instance renews what it holds,
 * closes what it lost, takes up operator requests (run beside the renewals), announces itself
 * (`instances/{workerId}`), and takes unowned or expired accounts up to its even share of the fleet
 * (ceil(A/N), within its capacity). Once the fleet has settled, an instance above its share hands one
 * account off per lease: no new send is claimed for it, the sends in flight finish, the socket closes
 * (its session is written as it changes), the lease is cleared, and an instance under its share takes it.
 * A holder that cannot renew closes its sockets by itself before its lease can run out, so a blocked
 * event loop or a partition never leaves two sockets open for one account.
 */
@Injectable()
export class AccountOwnership implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('AccountOwnership');
  /**
   * The renewal's own timer, not on the SchedulerRegistry (see PeriodicJob): it keeps the leases while
   * the app drains its sends at shutdown, and stops in this module's hook, once nothing more is sent.
   */
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopping = false;
  private readonly startedAt: number;
  private readonly fleetWatch: FleetWatch;
  private handOff: { at: number; done: Promise<void> | null } = { at: 0, done: null };

  constructor(
    private readonly accounts: AccountRepository,
    private readonly connections: AccountConnections,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly pairing: PairingRelay,
    private readonly requests: OperatorRequests,
    private readonly instances: InstanceRegistry,
    private readonly drains: AccountDrains,
    private readonly pauses: AccountPauses,
  ) {
    this.startedAt = clock.now();
    this.fleetWatch = new FleetWatch(3 * config.accountLeaseMs);
  }

  onApplicationBootstrap(): void {
    this.schedule(0);
  }

  /** One round: renew, then take more. Exposed so tests and the create endpoint need not wait a period. */
  tick(): Promise<void> {
    this.running ??= this.round().finally(() => (this.running = null));
    return this.running;
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    await this.handOff.done;
    // Gone from the fleet first, so the others' shares grow before these accounts come free.
    await this.instances.leave(this.config.workerId).catch((error: unknown) => this.logger.warn({ err: error }, 'could not remove this instance from the fleet'));
    await Promise.all(this.connections.held().map((live) => this.connections.release(live.accountId).catch(() => undefined)));
  }

  private schedule(delayMs: number): void {
    if (this.stopping) return;
    this.timer = setTimeout(() => {
      void this.tick().finally(() => this.schedule(Math.floor(this.config.accountLeaseMs / 3)));
    }, delayMs);
  }

  private async round(): Promise<void> {
    try {
      await this.renew();
      const fleet = await this.fleet();
      await this.claim(fleet);
      this.handOffAboveShare(fleet);
    } catch (error) {
      // Nothing more to do here: each held account's local deadline closes it if renewals keep failing.
      this.logger.error({ err: error }, 'ownership round failed');
    }
  }

  private async renew(): Promise<void> {
    const held = this.connections.held();
    if (held.length === 0) return;
    const leaseUntil = this.clock.now() + this.config.accountLeaseMs;
    const renewed = new Map((await this.accounts.renew(held.map((live) => live.holding), leaseUntil)).map((a) => [a.accountId, a]));
    for (const live of held) {
      const account = renewed.get(live.accountId);
      if (!account) {
        await this.connections.drop(live.accountId, 'lease taken over or account deleted');
        continue;
      }
      this.connections.extendLease(live, leaseUntil);
      // Not awaited: a reset waiting on a slow logout must not hold up the other accounts' renewals.
      void this.requests.performPending(live, account);
      this.pairing.answer(live, account);
    }
  }

  /** Announces this instance, then reads who else is live (a heartbeat within one lease) and how many accounts there are. */
  private async fleet(): Promise<FleetView> {
    const now = this.clock.now();
    await this.instances.heartbeat({ workerId: this.config.workerId, startedAt: this.startedAt, seenAt: now });
    const [live, byStatus] = await Promise.all([this.instances.seenSince(now - this.config.accountLeaseMs), this.accounts.countByStatus()]);
    const accounts = Object.values(byStatus).reduce((sum, n) => sum + n, 0) - byStatus.logged_out;
    return { share: evenShare(accounts, live.length), settled: this.fleetWatch.settled(live, now) };
  }

  private async claim(fleet: FleetView): Promise<void> {
    const room = Math.min(this.config.accountCapacity, fleet.share) - this.connections.held().length;
    if (room <= 0 || this.stopping) return;
    const taken = await this.accounts.claimUnowned(this.config.owner, this.clock.now(), this.config.accountLeaseMs, room);
    for (const account of taken) {
      const live = this.connections.adopt(account);
      this.pauses.adopted(live, account);
      void this.requests.performPending(live, account);
    }
  }

  /** One account per lease, and only once settled: a join or a leave is seen everywhere before accounts move. */
  private handOffAboveShare(fleet: FleetView): void {
    const now = this.clock.now();
    const held = this.connections.held();
    if (!fleet.settled || held.length <= fleet.share || this.handOff.done || this.stopping || now - this.handOff.at < this.config.accountLeaseMs) return;
    const live = held.find((candidate) => !candidate.handingOff)!;
    this.handOff = { at: now, done: this.handOver(live).finally(() => (this.handOff.done = null)) };
  }

  private async handOver(live: LiveAccount): Promise<void> {
    live.handingOff = true;
    try {
      await this.drains.drained(live.accountId);
      await this.connections.release(live.accountId);
      this.logger.log({ accountId: live.accountId }, 'account handed off: above this instance\'s share of the fleet');
    } catch (error) {
      live.handingOff = false;
      this.logger.warn({ err: error, accountId: live.accountId }, 'hand-off failed; the account stays here');
    }
  }
}
