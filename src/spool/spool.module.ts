import { Module } from '@nestjs/common';
import { MetricsModule } from '../metrics/metrics.module';
import { StoreModule } from '../store/store.module';
import { ProviderEventSpool } from './provider-event-spool';

/**
 * The local spool of provider events the store refused (inbound messages, receipts, contact aliases).
 * It imports the store because its replays write there: Nest closes a module after every module that
 * imports it, so the spool closes after the account sockets (nothing more arrives) and the store after
 * the spool (the events being stored and the last replay still reach it).
 */
@Module({ imports: [StoreModule, MetricsModule], providers: [ProviderEventSpool], exports: [ProviderEventSpool] })
export class SpoolModule {}
