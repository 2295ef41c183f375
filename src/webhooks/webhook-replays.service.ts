import { randomBytes } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../common/clock';
import { InvalidInput, WebhookNotFound } from '../common/errors';
import { assertWebhookId } from '../common/ids';
import { Page, PageRequest } from '../common/page';
import { AppConfig } from '../config/app-config';
import { LoggedEvent } from '../events/event';
import { EventLog } from '../events/event-log.repository';
import { WebhookDeliveries } from './webhook-deliveries.repository';
import { WebhookDeliveryWorker } from './webhook-delivery-worker.service';
import { AttemptResult, DeliveryAttempt, asksFor } from './webhook-delivery';
import { WebhookEndpoint } from './webhook-endpoint';
import { WebhookEndpointRepository } from './webhook-endpoint.repository';

const DAY_MS = 24 * 60 * 60 * 1000;
const PAGE = 500;
/** One replay re-queues at most this many events; a longer range is replayed in parts. */
export const MAX_REPLAY_EVENTS = 10_000;

export type ReplaySelection = { since: number; until?: number } | { eventIds: string[] };

/** An endpoint's deliveries log, and replays: events queued for it again, attempted in the background. */
@Injectable()
export class WebhookReplays {
  private readonly logger = new Logger('WebhookReplays');

  constructor(
    private readonly endpoints: WebhookEndpointRepository,
    private readonly deliveries: WebhookDeliveries,
    private readonly log: EventLog,
    private readonly worker: WebhookDeliveryWorker,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  async attempts(webhookId: string, result: AttemptResult | undefined, page: PageRequest): Promise<Page<DeliveryAttempt>> {
    await this.endpoint(webhookId);
    return this.deliveries.attempts(webhookId, { result }, page);
  }

  /** Under the endpoint's current filters, with the same event ids; answers how many events were queued. */
  async replay(webhookId: string, selection: ReplaySelection): Promise<{ replayId: string; events: number }> {
    const endpoint = await this.endpoint(webhookId);
    const now = this.clock.now();
    const events = 'eventIds' in selection ? await this.log.byIds(selection.eventIds) : await this.between(selection.since, selection.until ?? now, now);
    const eventIds = events.filter((event) => asksFor(endpoint, event)).map((event) => event.eventId);
    let queued = 0;
    for (let i = 0; i < eventIds.length; i += PAGE) queued += await this.deliveries.replay(webhookId, eventIds.slice(i, i + PAGE), now);
    this.worker.stir(webhookId);
    const replayId = `rpl_${randomBytes(8).toString('hex')}`;
    this.logger.log({ webhookId, replayId, events: queued }, 'replay queued');
    return { replayId, events: queued };
  }

  private async between(since: number, until: number, now: number): Promise<LoggedEvent[]> {
    if (since < now - this.config.eventRetentionDays * DAY_MS) throw new InvalidInput('since', `is older than the ${this.config.eventRetentionDays} days events are kept`);
    if (until <= since) throw new InvalidInput('until', 'must be after since');
    const found: LoggedEvent[] = [];
    for (let cursor = await this.log.startAt(since); ; ) {
      const read = await this.log.read(cursor, {}, PAGE);
      found.push(...read.entries.map((entry) => entry.event).filter((event) => event.occurredAt >= since && event.occurredAt < until));
      if (found.length > MAX_REPLAY_EVENTS) throw new InvalidInput('until', `the range holds more than ${MAX_REPLAY_EVENTS} events; replay it in shorter ranges`);
      // The log is in commit order, each writer's clock nearly in step: a page all past `until` ends it.
      if (read.entries.length < PAGE || read.entries.every((entry) => entry.event.occurredAt >= until)) return found;
      cursor = read.next;
    }
  }

  private async endpoint(webhookId: string): Promise<WebhookEndpoint> {
    const endpoint = await this.endpoints.get(assertWebhookId(webhookId));
    if (!endpoint) throw new WebhookNotFound(webhookId);
    return endpoint;
  }
}
