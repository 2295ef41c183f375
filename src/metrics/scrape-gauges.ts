import { Injectable, Logger } from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';
import { AccountConnections } from '../accounts/account-connections.service';
import { ProviderEventDrops } from '../whatsapp/provider-event-drops';
import { MetricsRecorder } from './metrics-recorder';
import { StoreCounts } from './store-counts';

/**
 * Values read when Prometheus scrapes rather than counted as they happen: the queue and the accounts
 * from the store (true across instances and restarts), what this instance holds, and the provider's
 * drop counts. A store that does not answer leaves its gauges empty for that scrape instead of failing it.
 */
@Injectable()
export class ScrapeGauges {
  private readonly logger = new Logger('ScrapeGauges');

  constructor(recorder: MetricsRecorder, counts: StoreCounts, connections: AccountConnections, drops: ProviderEventDrops) {
    const registers = [recorder.registry];
    const logger = this.logger;
    new Gauge({
      name: 'whatsapp_outbox_items',
      help: 'Open outbox items in the store, by status (queued: waiting to be sent; processing: claimed, being sent)',
      labelNames: ['status'],
      registers,
      async collect() {
        this.reset();
        const open = await counts.openOutboxItems().catch((error: unknown) => void logger.warn({ err: error }, 'outbox counts unavailable'));
        for (const [status, n] of Object.entries(open ?? {})) this.set({ status }, n);
      },
    });
    new Gauge({
      name: 'whatsapp_accounts',
      help: 'Accounts in the store, by connection status',
      labelNames: ['status'],
      registers,
      async collect() {
        this.reset();
        const accounts = await counts.accountsByStatus().catch((error: unknown) => void logger.warn({ err: error }, 'account counts unavailable'));
        for (const [status, n] of Object.entries(accounts ?? {})) this.set({ status }, n);
      },
    });
    new Gauge({
      name: 'whatsapp_accounts_held',
      help: 'Accounts this instance holds the lease of, by whether their socket is open',
      labelNames: ['connected'],
      registers,
      collect() {
        const held = connections.held();
        const open = held.filter((live) => live.connected).length;
        this.set({ connected: 'true' }, open);
        this.set({ connected: 'false' }, held.length - open);
      },
    });
    new Counter({
      name: 'whatsapp_provider_events_dropped_total',
      help: 'Provider events (or fields of them) dropped as invalid, by reason',
      labelNames: ['reason'],
      registers,
      collect() {
        this.reset();
        for (const [reason, n] of Object.entries(drops.snapshot())) this.inc({ reason }, n ?? 0);
      },
    });
  }
}
