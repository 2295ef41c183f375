import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AccountConnections } from '../accounts/account-connections.service';
import { ProviderEventBus } from '../whatsapp/provider-event-bus';
import { BackoffPolicy, backoffDelay } from '../common/backoff';
import { SchedulerRegistry } from '@nestjs/schedule';
import { Clock } from '../common/clock';
import { PeriodicJob } from '../common/periodic-job';
import { AppConfig } from '../config/app-config';
import { failureOf } from '../messaging/failure-reason';
import { MetricsRecorder } from '../metrics/metrics-recorder';
import { SendFailure } from '../whatsapp/whatsapp-provider';
import { Claim, ClaimRequest, claimOf } from './claim-rule';
import { OutboxItem } from './outbox-item';
import { OutboxRepository } from './outbox.repository';
import { SendPacing } from './send-pacing';
import { SendWindow, accountLeaseLeaves, shortLease } from './send-window';

export const RETRY_BACKOFF: BackoffPolicy = { baseMs: 2_000, maxMs: 5 * 60_000 };

/**
 * Sends what the outbox holds for the accounts this instance has connected: claims due items under a
 * lease (fairly across accounts, in order within a thread), sends each with its pre-generated WhatsApp
 * id, and records the outcome. Polls every OUTBOX_POLL_MS; an accepted send or a fresh connection
 * triggers a round at once.
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
  private readonly sendTimeoutMs: number;
  private readonly window: SendWindow;
  private readonly poll: PeriodicJob;
  private round: Promise<void> | null = null;
  private again = false;
  private stopped = false;

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly connections: AccountConnections,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly metrics: MetricsRecorder,
    scheduler: SchedulerRegistry,
    events: ProviderEventBus,
  ) {
    this.poll = new PeriodicJob(scheduler, 'outbox-poll');
    this.pacing = new SendPacing(config.sendMinIntervalMs);
    // Well below the lease: an unanswered send gives up long before another worker may reclaim it.
    this.sendTimeoutMs = Math.min(30_000, Math.floor(config.outboxLeaseMs / 3));
    // A sixth of the claim's lease beyond the timeout is room for clock skew with the next claimant; a
    // third of the account's lease is what a holder renewing on time always has left.
    this.window = { claimMs: this.sendTimeoutMs + Math.floor(config.outboxLeaseMs / 6), accountMs: Math.floor(config.accountLeaseMs / 3) };
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
      if (live.connected && this.pacing.mayClaim(live.accountId, now) && room > 0 && accountLeaseLeaves(live.leaseUntil, now, this.window)) {
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
      this.track(item.accountId, this.send(item));
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

  private async send(item: OutboxItem): Promise<void> {
    const claim = claimOf(item);
    const socket = this.connections.connectionFor(item.accountId);
    const held = socket?.ownerEpoch === item.claimEpoch ? socket : undefined;
    // Nothing is awaited between this check and the provider send, so no stall can come between them.
    const short = held ? shortLease(item.leaseUntil!, held.leaseUntil, this.clock.now(), this.window) : null;
    if (short) return this.giveBack(item, claim, short);
    if (held && item.boundPhone !== null && item.boundPhone !== held.phone) return this.failRelinked(item, claim, held.phone);
    this.metrics.sendAttempted();
    try {
      if (!held) throw new SendFailure('account not connected on this instance', false);
      await held.connection.send(item.toJid, item.text, item.waMessageId, this.sendTimeoutMs);
    } catch (error) {
      await this.recordFailure(item, claim, error).catch((recordError: unknown) =>
        // The claim's lease runs out and another round retries it with the same WhatsApp id.
        this.logger.error({ err: recordError, accountId: item.accountId, outboxId: item.id }, 'could not record a send failure'),
      );
      return;
    }
    // WhatsApp has it: a store error now is no failed send. The claim runs out and a later attempt sends
    // the same id again, which WhatsApp keeps as one message.
    await this.outbox
      .markSent(claim, this.clock.now())
      .then(() => this.metrics.sent(this.clock.now() - item.createdAt))
      .catch((error: unknown) => this.logger.error({ err: error, accountId: item.accountId, outboxId: item.id }, 'could not record a sent message'));
  }

  /** Not sent, so not an attempt: back to the queue as it was; a later round claims it afresh. */
  private async giveBack(item: OutboxItem, claim: Claim, short: 'claim' | 'account'): Promise<void> {
    this.logger.warn({ accountId: item.accountId, outboxId: item.id, lease: short }, 'lease too short to send; claim given back');
    await this.outbox.releaseUnsent(claim, this.clock.now()).catch((error: unknown) =>
      // Left to its lease: another round reclaims it then.
      this.logger.error({ err: error, accountId: item.accountId, outboxId: item.id }, 'could not give a claim back'),
    );
  }

  /** Accepted while the account was linked to another phone: it never leaves from this one. */
  private async failRelinked(item: OutboxItem, claim: Claim, phone: string | null): Promise<void> {
    const failure = failureOf('accountRelinked', `accepted while linked to ${item.boundPhone}; now linked to ${phone ?? 'an unknown phone'}`);
    const ended = await this.outbox.markFailed(claim, failure, this.clock.now()).catch((error: unknown) => {
      // Left to its lease: the next round finds it bound to another phone again.
      this.logger.error({ err: error, accountId: item.accountId, outboxId: item.id }, 'could not fail a relinked send');
      return false;
    });
    if (!ended) return;
    this.metrics.sendFailed('permanent');
    this.logger.warn({ accountId: item.accountId, outboxId: item.id }, 'send bound to the phone linked before: failed, not sent');
  }

  private async recordFailure(item: OutboxItem, claim: Claim, error: unknown): Promise<void> {
    const failure = error instanceof SendFailure ? error : new SendFailure(error instanceof Error ? error.message : String(error), false);
    const now = this.clock.now();
    const reason = failure.code ? `${failure.message} (code ${failure.code})` : failure.message;
    // Refused when the claim was lost or a receipt proved WhatsApp has the message: nothing failed then.
    if (failure.permanent || item.attempts >= this.config.outboxMaxAttempts) {
      if (!(await this.outbox.markFailed(claim, failure.permanent ? failureOf('rejected', reason) : failureOf('maxAttempts', `gave up after ${item.attempts} attempts: ${reason}`), now))) return;
      this.metrics.sendFailed(failure.permanent ? 'permanent' : 'gave_up');
      this.logger.warn({ accountId: item.accountId, outboxId: item.id, attempts: item.attempts, permanent: failure.permanent, reason }, 'send failed for good');
      return;
    }
    if (await this.outbox.release(claim, reason, now + backoffDelay(item.attempts, RETRY_BACKOFF), now)) this.metrics.sendFailed('transient');
  }
}
