import { Injectable } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { MetricsRecorder } from '../metrics/metrics-recorder';
import { AccountConnections } from './account-connections.service';
import { AccountRepository } from './account.repository';

/** The accounts at scrape time: all of them by status, from the store, and those this instance holds. */
@Injectable()
export class AccountGauges {
  constructor(recorder: MetricsRecorder, accounts: AccountRepository, connections: AccountConnections) {
    recorder.scrapedGauge({ name: 'whatsapp_accounts', help: 'Accounts in the store, by connection status', label: 'status', read: () => accounts.countByStatus() });
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
