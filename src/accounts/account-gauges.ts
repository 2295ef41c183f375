import { Injectable, Logger } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { MetricsRecorder } from '../metrics/metrics-recorder';
import { AccountConnections } from './account-connections.service';
import { AccountRepository } from './account.repository';

/**
 * The accounts at scrape time: all of them by status, from the store (true across instances and
 * restarts: aggregate with `max`), and those this instance holds. A store that does not answer leaves
 * its gauge empty for that scrape instead of failing it.
 */
@Injectable()
export class AccountGauges {
  private readonly logger = new Logger('AccountGauges');

  constructor(recorder: MetricsRecorder, accounts: AccountRepository, connections: AccountConnections) {
    const logger = this.logger;
    new Gauge({
      name: 'whatsapp_accounts',
      help: 'Accounts in the store, by connection status',
      labelNames: ['status'],
      registers: [recorder.registry],
      async collect() {
        this.reset();
        const counts = await accounts.countByStatus().catch((error: unknown) => void logger.warn({ err: error }, 'account counts unavailable'));
        for (const [status, n] of Object.entries(counts ?? {})) this.set({ status }, n);
      },
    });
    new Gauge({
      name: 'whatsapp_accounts_held',
      help: 'Accounts this instance holds the lease of, by whether their socket is open',
      labelNames: ['connected'],
      registers: [recorder.registry],
      collect() {
        const held = connections.held();
        const open = held.filter((live) => live.connected).length;
        this.set({ connected: 'true' }, open);
        this.set({ connected: 'false' }, held.length - open);
      },
    });
  }
}
