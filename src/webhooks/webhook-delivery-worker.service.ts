import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { ClaimLoop, ClaimRound } from '../common/claim-loop';
import { Clock } from '../common/clock';
import { PeriodicJob } from '../common/periodic-job';
import { AppConfig } from '../config/app-config';
import { deliveryBodyOf } from '../events/delivery-body';
import { MetricsRecorder } from '../metrics/metrics-recorder';
import { OutboundClient } from '../outbound/outbound-client';
import { claimOf } from '../outbox/claim-rule';
import { AttemptOutcome, attemptDelivery } from './webhook-attempt';
import { WebhookDeliveries } from './webhook-deliveries.repository';
import { ClaimedDelivery, DeliveryDecision, decide } from './webhook-delivery';
import { WebhookEndpoint } from './webhook-endpoint';
import { WebhookEndpointRepository } from './webhook-endpoint.repository';

/** How long a round trusts the endpoints it read: a change made on another instance is seen within this. */
const ENDPOINTS_FRESH_MS = 1_000;

interface DeliveryWork {
  delivery: ClaimedDelivery;
  endpoint: WebhookEndpoint;
}

/**
 * Attempts the delivery items of enabled endpoints: the claim engine's kind of work keyed by endpoint, so
 * at most WEBHOOK_CONCURRENCY attempts per endpoint run in this process and a slow endpoint holds only its
 * own room (sends and inbound have their own loops; an attempt awaits only its HTTP answer). Any live
 * instance claims any item; one that dies mid-attempt leaves its claim to run out and be retried.
 */
@Injectable()
export class WebhookDeliveryWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('WebhookDeliveries');
  private readonly loop: ClaimLoop<DeliveryWork>;
  private readonly poll: PeriodicJob;
  /** Past the attempt's timeout with room for the outcome's write: no other instance attempts it meanwhile. */
  private readonly leaseMs: number;
  private endpointsRead: { at: number; byId: Map<string, WebhookEndpoint> } | null = null;

  constructor(
    private readonly deliveries: WebhookDeliveries,
    private readonly endpoints: WebhookEndpointRepository,
    private readonly outbound: OutboundClient,
    private readonly metrics: MetricsRecorder,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    scheduler: SchedulerRegistry,
  ) {
    this.poll = new PeriodicJob(scheduler, 'webhook-deliveries-poll');
    this.leaseMs = 2 * config.webhookTimeoutMs + 5_000;
    this.loop = new ClaimLoop('WebhookDeliveries', { claim: (round) => this.claim(round), keyOf: (work) => work.endpoint.webhookId, attempt: (work) => this.attempt(work) }, config.webhookConcurrency);
  }

  onApplicationBootstrap(): void {
    this.poll.every(this.config.outboxPollMs, () => this.loop.trigger());
  }

  async onApplicationShutdown(): Promise<void> {
    this.loop.stop();
    this.poll.stop();
    await this.loop.idle();
    const released = await this.deliveries.releaseAll(this.config.owner, this.clock.now());
    if (released > 0) this.logger.log({ released }, 'released unattempted delivery claims at shutdown');
  }

  /** Items were dispatched to this endpoint: a round for it now. */
  stir(webhookId: string): void {
    this.loop.stir(webhookId);
  }

  idle(): Promise<void> {
    return this.loop.idle();
  }

  private async claim({ every, stirred, room, later }: ClaimRound): Promise<DeliveryWork[]> {
    const byId = await this.enabledEndpoints();
    const wanted: Array<{ webhookId: string; limit: number }> = [];
    for (const webhookId of byId.keys()) {
      if (!every && !stirred.has(webhookId)) continue;
      const limit = room(webhookId);
      if (limit > 0) wanted.push({ webhookId, limit });
      else if (stirred.has(webhookId)) later(webhookId);
    }
    if (wanted.length === 0) return [];
    const claimed = await this.deliveries.claim({ owner: this.config.owner, endpoints: wanted, now: this.clock.now(), leaseMs: this.leaseMs });
    return claimed.map((delivery) => ({ delivery, endpoint: byId.get(delivery.webhookId)! }));
  }

  /** Re-read at most once a second: a round follows every finished attempt, hundreds a second under load. */
  private async enabledEndpoints(): Promise<Map<string, WebhookEndpoint>> {
    const now = this.clock.now();
    if (!this.endpointsRead || now - this.endpointsRead.at >= ENDPOINTS_FRESH_MS) {
      const enabled = (await this.endpoints.list()).filter((endpoint) => endpoint.enabled);
      this.endpointsRead = { at: now, byId: new Map(enabled.map((endpoint) => [endpoint.webhookId, endpoint])) };
    }
    return this.endpointsRead.byId;
  }

  private async attempt({ delivery, endpoint }: DeliveryWork): Promise<void> {
    const now = this.clock.now();
    const outcome: AttemptOutcome = delivery.event
      ? await attemptDelivery(this.outbound, endpoint, delivery.eventId, JSON.stringify(deliveryBodyOf(delivery.event)), this.config.webhookTimeoutMs, now)
      : { error: 'the event is no longer kept (retention or its account was purged)', ms: 0 };
    const ended = this.clock.now();
    const decision: DeliveryDecision = delivery.event ? decide(outcome, delivery.attempts, this.config.webhookMaxAttempts, ended, Math.random()) : { result: 'failed' };
    const attempt = {
      deliveryId: delivery.id,
      webhookId: delivery.webhookId,
      eventId: delivery.eventId,
      attempt: delivery.attempts,
      at: now,
      statusCode: outcome.status ?? null,
      error: outcome.error ?? null,
      ms: outcome.ms,
      result: decision.result,
    };
    const recorded = await this.deliveries.record(claimOf(delivery), attempt, decision, ended);
    this.metrics.webhookAttempted(decision.result, outcome.ms);
    if (!recorded) return this.logger.warn({ webhookId: delivery.webhookId, eventId: delivery.eventId }, 'delivery claim lost before its outcome was recorded');
    if (decision.result === 'failed' && 'disable' in decision && decision.disable) {
      await this.endpoints.disable(delivery.webhookId, decision.disable, ended);
      this.endpointsRead = null;
      this.logger.warn({ webhookId: delivery.webhookId }, 'endpoint answered 410: disabled until enabled again');
    } else if (decision.result === 'failed') {
      this.logger.warn({ webhookId: delivery.webhookId, eventId: delivery.eventId, attempts: delivery.attempts, status: outcome.status, error: outcome.error }, 'delivery failed for good (replayable)');
    }
  }
}
