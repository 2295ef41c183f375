import { DynamicModule, Module } from '@nestjs/common';
import { StoreKind } from '../config/app-config';
import { repositoryFor } from '../store/store.module';
import { MetricsController } from './metrics.controller';
import { MetricsRecorder } from './metrics-recorder';
import { ScrapeGauges } from './scrape-gauges';
import { StoreCounts } from './store-counts';
import { FirestoreStoreCounts } from './store-counts.firestore';
import { SqliteStoreCounts } from './store-counts.sqlite';

/**
 * Prometheus metrics at `GET /metrics`. Global: the send path, the outbox, receipts, inbound and the
 * account sockets each record their events through `MetricsRecorder`.
 */
@Module({})
export class MetricsModule {
  static forStore(store: StoreKind): DynamicModule {
    return {
      module: MetricsModule,
      global: true,
      controllers: [MetricsController],
      providers: [MetricsRecorder, ScrapeGauges, repositoryFor(StoreCounts, store, { sqlite: SqliteStoreCounts, firestore: FirestoreStoreCounts })],
      exports: [MetricsRecorder],
    };
  }
}
