import { Injectable, Logger } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { MetricsRecorder } from '../metrics/metrics-recorder';
import { OutboxRepository } from './outbox.repository';

/**
 * The open queue at scrape time, from the store (every instance reports the same numbers: aggregate
 * with `max`). A store that does not answer leaves the gauge empty for that scrape instead of failing it.
 */
@Injectable()
export class OutboxGauges {
  private readonly logger = new Logger('OutboxGauges');

  constructor(recorder: MetricsRecorder, outbox: OutboxRepository) {
    const logger = this.logger;
    new Gauge({
      name: 'whatsapp_outbox_items',
      help: 'Open outbox items in the store, by status (queued: waiting to be sent; processing: claimed, being sent)',
      labelNames: ['status'],
      registers: [recorder.registry],
      async collect() {
        this.reset();
        const open = await outbox.countOpen().catch((error: unknown) => void logger.warn({ err: error }, 'outbox counts unavailable'));
        for (const [status, n] of Object.entries(open ?? {})) this.set({ status }, n);
      },
    });
  }
}
