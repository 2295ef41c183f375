import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { Clock } from '../common/clock';
import { PeriodicJob } from '../common/periodic-job';
import { AppConfig } from '../config/app-config';
import { EventLog } from '../events/event-log.repository';
import { WebhookDeliveries } from './webhook-deliveries.repository';
import { WebhookDeliveryWorker } from './webhook-delivery-worker.service';

/** Events fanned out per dispatch: one write, well under a group commit's bound. */
const DISPATCH_BATCH = 500;

/**
 * Turns each logged event into one delivery item per endpoint that hears it. The change wrote its event
 * only (the send path pays for no endpoint); every instance runs this, and the store's dispatch cursor,
 * moved in the same write as the items it made, lets exactly one of them fan out each page of the log.
 */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('WebhookDispatcher');
  private readonly poll: PeriodicJob;
  private running: Promise<void> | null = null;

  constructor(
    private readonly log: EventLog,
    private readonly deliveries: WebhookDeliveries,
    private readonly worker: WebhookDeliveryWorker,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    scheduler: SchedulerRegistry,
  ) {
    this.poll = new PeriodicJob(scheduler, 'webhook-dispatch');
  }

  onApplicationBootstrap(): void {
    // On Firestore every poll that finds events writes the one cursor doc, which takes about one sustained write a second.
    this.poll.every(this.config.store === 'firestore' ? Math.max(1000, this.config.webhookDispatchPollMs) : this.config.webhookDispatchPollMs, () => void this.dispatch());
  }

  async onApplicationShutdown(): Promise<void> {
    this.poll.stop();
    await this.running;
  }

  /** Fans out what the log holds past the cursor, page after page; one run at a time. */
  dispatch(): Promise<void> {
    this.running ??= this.dispatchAll()
      .catch((error: unknown) => this.logger.error({ err: error }, 'webhook dispatch failed; the next poll tries again'))
      .finally(() => (this.running = null));
    return this.running;
  }

  /**
   * Fans out at least every event logged before this call (a run under way may have read the log before
   * it), and throws what the store threw: the caller must not go on as if it had.
   */
  async catchUp(): Promise<void> {
    await this.running;
    await this.dispatchAll();
  }

  private async dispatchAll(): Promise<void> {
    while ((await this.dispatchPage()) === DISPATCH_BATCH);
  }

  /** How many events the page held (0: nothing new, or another instance dispatched it first). */
  private async dispatchPage(): Promise<number> {
    const from = await this.deliveries.dispatchedThrough();
    const read = await this.log.read(from, {}, DISPATCH_BATCH);
    if (read.next === from) return 0;
    const events = read.entries.map(({ event: { eventId, type, accountId, occurredAt } }) => ({ eventId, type, accountId, occurredAt }));
    const given = await this.deliveries.dispatch(from, read.next, events, this.clock.now());
    if (given === null) return 0;
    for (const webhookId of given) this.worker.stir(webhookId);
    return read.entries.length;
  }
}
