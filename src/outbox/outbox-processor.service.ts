import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AccountConnections } from '../accounts/account-connections.service';
import { AccountDrains } from '../accounts/account-drains';
import { ProviderEventBus } from '../whatsapp/provider-event-bus';
import { SchedulerRegistry } from '@nestjs/schedule';
import { Clock } from '../common/clock';
import { PeriodicJob } from '../common/periodic-job';
import { AppConfig } from '../config/app-config';
import { ClaimLoop, ClaimRound } from '../common/claim-loop';
import { ClaimRequest } from './claim-rule';
import { OutboxItem } from './outbox-item';
import { OutboxRepository } from './outbox.repository';
import { SendPacing } from './send-pacing';
import { SendAttempts } from './send-attempts';
import { accountLeaseLeaves } from './send-window';

/**
 * Sends what the outbox holds for the accounts this instance has connected: the claim engine's kind of
 * work keyed by account (ClaimLoop schedules the rounds). Claims due items under a lease (fairly across
 * accounts, in order within a thread, within each account's pacing and in-flight cap) and hands each to
 * SendAttempts. Polls every OUTBOX_POLL_MS; an accepted send or a fresh connection stirs its account.
 */
@Injectable()
export class OutboxProcessor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('OutboxProcessor');
  private readonly pacing: SendPacing;
  private readonly loop: ClaimLoop<OutboxItem>;
  private readonly poll: PeriodicJob;

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly connections: AccountConnections,
    private readonly attempts: SendAttempts,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    scheduler: SchedulerRegistry,
    events: ProviderEventBus,
    drains: AccountDrains,
  ) {
    this.poll = new PeriodicJob(scheduler, 'outbox-poll');
    this.pacing = new SendPacing(config.sendMinIntervalMs);
    this.loop = new ClaimLoop('OutboxProcessor', { claim: (round) => this.claim(round), keyOf: (item) => item.accountId, attempt: (item) => this.attempts.send(item) }, config.maxInFlightPerAccount);
    events.on('connected', (accountId) => this.loop.stir(accountId));
    drains.register((accountId) => this.loop.drained(accountId));
  }

  onApplicationBootstrap(): void {
    this.poll.every(this.config.outboxPollMs, () => this.trigger());
  }

  /**
   * An accept is durable (OutboxAcceptance): an account held here claims it at once, in a round for this
   * account only: claiming for all 30 accounts on each accept and each finished send cost half the event
   * loop at 500 sends/s (bench/outbox.mjs).
   */
  accepted(item: OutboxItem): void {
    if (this.connections.connectionFor(item.accountId)) this.loop.stir(item.accountId);
  }

  /** Runs a round for every account now, or right after the one under way (never two at once). */
  trigger(): void {
    this.loop.trigger();
  }

  /** Graceful shutdown: stop claiming, let in-flight sends finish (bounded by the send timeout), release the rest. */
  async onApplicationShutdown(): Promise<void> {
    this.loop.stop();
    this.poll.stop();
    await this.idle();
    const released = await this.outbox.releaseAll(this.config.owner, this.clock.now());
    if (released > 0) this.logger.log({ released }, 'released unsent claims at shutdown');
  }

  /** Resolves once no round runs and no send is in flight (what shutdown waits for). */
  idle(): Promise<void> {
    return this.loop.idle();
  }

  /** Connected accounts held here, not being handed off nor paused by WhatsApp's limits, within their pacing, in-flight room and account lease. */
  private async claim({ every, stirred, room, later }: ClaimRound): Promise<OutboxItem[]> {
    const now = this.clock.now();
    const accounts: ClaimRequest['accounts'] = [];
    for (const live of this.connections.held()) {
      if (live.handingOff || (!every && !stirred.has(live.accountId))) continue;
      const left = room(live.accountId);
      if (live.connected && !live.isPaused(now) && this.pacing.mayClaim(live.accountId, now) && left > 0 && accountLeaseLeaves(live.leaseUntil, now, this.attempts.window)) {
        accounts.push({ ...live.holding, limit: left });
      }
      // Paused, paced, at its in-flight cap or its lease not yet renewed: looked at again in the next round of any kind.
      else if (stirred.has(live.accountId)) later(live.accountId);
    }
    if (accounts.length === 0) return [];
    const perAccount = this.pacing.enabled ? 1 : this.config.maxInFlightPerAccount;
    const claimed = await this.outbox.claim({ owner: this.config.owner, accounts, now, leaseMs: this.config.outboxLeaseMs, perAccount });
    for (const item of claimed) this.pacing.claimed(item.accountId, now);
    return claimed;
  }
}
