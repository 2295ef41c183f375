import { Injectable } from '@nestjs/common';
import { MetricsRecorder } from '../metrics/metrics-recorder';
import { OutboxRepository } from './outbox.repository';

/** The open queue at scrape time, from the store. */
@Injectable()
export class OutboxGauges {
  constructor(recorder: MetricsRecorder, outbox: OutboxRepository) {
    recorder.scrapedGauge({
      name: 'whatsapp_outbox_items',
      help: 'Open outbox items in the store, by status (queued: waiting to be sent; processing: claimed, being sent)',
      label: 'status',
      read: () => outbox.countOpen(),
    });
  }
}
