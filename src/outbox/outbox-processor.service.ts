import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AccountConnections } from '../accounts/account-connections.service';
import { ProviderEventBus } from '../whatsapp/provider-event-bus';
import { SchedulerRegistry } from '@nestjs/schedule';
import { Clock } from '../common/clock';
import { PeriodicJob } from '../common/periodic-job';
import { AppConfig } from '../config/app-config';
import { ClaimRequest } from './claim-rule';
import { OutboxItem } from './outbox-item';
import { OutboxRepository } from './outbox.repository';
import { SendPacing } from './send-pacing';
import { SendAttempts } from './send-attempts';
import { accountLeaseLeaves } from './send-window';

/**
 * Sends what the outbox holds for the accounts this instance has connected: claims due items under a
 * lease (fairly across accounts, in order within a thread, within each account's pacing and in-flight
 * cap) and hands each to SendAttempts. Polls every OUTBOX_POLL_MS; an accepted send or a fresh
 * connection triggers a round at once.
 */
@Injectable()
export class OutboxProcessor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('OutboxProcessor');
  private readonly pacing: SendPacing;
  private readonly inFlight = new Map<string, number>();
  private readonly sending = new Set<Promise<void>>();
  /** Accounts that may have a newly claimable item (an accept, an end in one of their threads, a connect). */
  private readonly stirred = new Set<string>();
  /** The next round looks at every account (the poll: retries coming due, leases of dead claimants). */
  private everyAccount = true;
  private readonly poll: PeriodicJob;
  private round: Promise<void> | null = null;
  private again = false;
  private stopped = false;

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly connections: AccountConnections,
    private readonly attempts: SendAttempts,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    scheduler: SchedulerRegistry,
    events: ProviderEventBus,
  ) {
    this.poll = new PeriodicJob(scheduler, 'outbox-poll');
    this.pacing = new SendPacing(config.sendMinIntervalMs);
    events.on('connected', (accountId) => this.stir(accountId));
  }

  onApplicationBootstrap(): void {
    this.poll.every(this.config.outboxPollMs, () => this.trigger());
  }

  /** An accept is durable (OutboxAcceptance): an account held here claims it at once. */
  accepted(item: OutboxItem): void {
    if (this.connections.connectionFor(item.accountId)) this.stir(item.accountId);
  }

  /** Runs a round for every account now, or right after the one under way (never two at once). */
  trigger(): void {
    this.everyAccount = true;
    this.runRound();
  }

  /**
   * A round for this account (and any other stirred meanwhile) only: claiming for all 30 accounts on each
   * accept and each finished send cost half the event loop at 500 sends/s (bench/outbox.mjs).
   */
  private stir(accountId: string): void {
    this.stirred.add(accountId);
    this.runRound();
  }

  private runRound(): void {
    if (this.stopped) return;
    if (this.round) {
      this.again = true;
      return;
    }
    this.round = this.claimAndSend()
      .catch((error: unknown) => this.logger.error({ err: error }, 'outbox round failed'))
      .finally(() => {
        this.round = null;
        if (this.again) {
          this.again = false;
          this.runRound();
        }
      });
  }

  /** Graceful shutdown: stop claiming, let in-flight sends finish (bounded by the send timeout), release the rest. */
  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.poll.stop();
    await this.idle();
    const released = await this.outbox.releaseAll(this.config.owner, this.clock.now());
    if (released > 0) this.logger.log({ released }, 'released unsent claims at shutdown');
  }

  /** Resolves once no round runs and no send is in flight (what shutdown waits for). */
  async idle(): Promise<void> {
    while (this.round || this.sending.size > 0) {
      await this.round;
      await Promise.allSettled([...this.sending]);
    }
  }

  private async claimAndSend(): Promise<void> {
    const now = this.clock.now();
    const everyAccount = this.everyAccount;
    const stirred = new Set(this.stirred);
    this.everyAccount = false;
    this.stirred.clear();
    const accounts: ClaimRequest['accounts'] = [];
    for (const live of this.connections.held()) {
      if (!everyAccount && !stirred.has(live.accountId)) continue;
      const room = this.room(live.accountId);
      if (live.connected && this.pacing.mayClaim(live.accountId, now) && room > 0 && accountLeaseLeaves(live.leaseUntil, now, this.attempts.window)) {
        accounts.push({ ...live.holding, limit: room });
      }
      // Paced, at its in-flight cap or its lease not yet renewed: looked at again in the next round of any kind.
      else if (stirred.has(live.accountId)) this.stirred.add(live.accountId);
    }
    if (accounts.length === 0) return;
    const perAccount = this.pacing.enabled ? 1 : this.config.maxInFlightPerAccount;
    const claimed = await this.outbox.claim({ owner: this.config.owner, accounts, now, leaseMs: this.config.outboxLeaseMs, perAccount });
    for (const item of claimed) {
      this.pacing.claimed(item.accountId, now);
      this.track(item.accountId, this.attempts.send(item));
    }
  }

  /** How many more items the account may have in flight in this process: what its next claim may take. */
  private room(accountId: string): number {
    return this.config.maxInFlightPerAccount - (this.inFlight.get(accountId) ?? 0);
  }

  private track(accountId: string, sending: Promise<void>): void {
    this.inFlight.set(accountId, (this.inFlight.get(accountId) ?? 0) + 1);
    this.sending.add(sending);
    void sending
      .catch((error: unknown) => this.logger.error({ err: error, accountId }, 'outbox send failed unexpectedly'))
      .finally(() => {
        this.sending.delete(sending);
        this.inFlight.set(accountId, (this.inFlight.get(accountId) ?? 1) - 1);
        // The item's thread may have a next item waiting for this one to end.
        this.stir(accountId);
      });
  }
}
