import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { AccountConnections } from './account-connections.service';
import { AccountRepository } from './account.repository';
import { OperatorRequests } from './operator-requests';
import { PairingRelay } from './pairing-relay';

/**
 * Which instance holds which account. Every third of the lease this instance renews what it holds,
 * closes what it lost, takes up operator requests (run beside the renewals), and takes unowned or expired accounts up to its
 * capacity. A holder that cannot renew closes its sockets by itself before its lease can run out, so a
 * blocked event loop or a partition never leaves two sockets open for one account.
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

  constructor(
    private readonly accounts: AccountRepository,
    private readonly connections: AccountConnections,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly pairing: PairingRelay,
    private readonly requests: OperatorRequests,
  ) {}

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
      await this.claim();
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

  private async claim(): Promise<void> {
    const room = this.config.accountCapacity - this.connections.held().length;
    if (room <= 0 || this.stopping) return;
    const taken = await this.accounts.claimUnowned(this.config.owner, this.clock.now(), this.config.accountLeaseMs, room);
    for (const account of taken) void this.requests.performPending(this.connections.adopt(account), account);
  }
}
