import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { MetricsRecorder } from '../metrics/metrics-recorder';
import { WebhookDeliveries } from './webhook-deliveries.repository';

/** Deliveries still owed per endpoint, and how long the oldest has waited, from the store at scrape time. */
@Injectable()
export class WebhookGauges {
  constructor(recorder: MetricsRecorder, deliveries: WebhookDeliveries, clock: Clock) {
    const backlog = () => deliveries.backlog();
    recorder.scrapedGauge({
      name: 'whatsapp_webhook_backlog',
      help: 'Webhook delivery items not yet delivered nor failed, by endpoint',
      label: 'webhook',
      read: async () => Object.fromEntries((await backlog()).map((row) => [row.webhookId, row.open])),
    });
    recorder.scrapedGauge({
      name: 'whatsapp_webhook_oldest_undelivered_seconds',
      help: 'Age of the oldest webhook delivery item not yet delivered nor failed, by endpoint',
      label: 'webhook',
      read: async () => Object.fromEntries((await backlog()).map((row) => [row.webhookId, (clock.now() - row.oldestCreatedAt) / 1000])),
    });
  }
}
