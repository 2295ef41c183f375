import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { AccessModule } from './access/access.module';
import { EveryAccountReference } from './account-references';
import { AccountReferences } from './accounts/account-references';
import { AccountSends } from './accounts/account-sends';
import { AccountsModule } from './accounts/accounts.module';
import { Clock } from './common/clock';
import { HttpErrorFilter } from './common/http-errors';
import { StoreDeadlineInterceptor } from './common/store-deadline';
import { AppConfig } from './config/app-config';
import { EventsModule } from './events/events.module';
import { HealthModule } from './health/health.module';
import { MediaDownloadsModule } from './media-downloads/media-downloads.module';
import { MediaLinkSigner } from './media-serve/media-link-signer';
import { MediaServeModule } from './media-serve/media-serve.module';
import { MediaSendModule } from './media-send/media-send.module';
import { MediaLinks } from './messaging/media-links';
import { MessagingModule } from './messaging/messaging.module';
import { SendAcceptance } from './messaging/send-acceptance';
import { MetricsModule } from './metrics/metrics.module';
import { AllowHosts } from './outbound/allow-hosts';
import { Resolver, systemResolver } from './outbound/outbound-client';
import { OUTBOUND_RESOLVER } from './outbound/outbound.module';
import { FirestoreAccountSends } from './outbox/firestore/account-sends.firestore';
import { SqliteAccountSends } from './outbox/sqlite/account-sends.sqlite';
import { OutboxAcceptance } from './outbox/outbox-acceptance';
import { OutboxModule } from './outbox/outbox.module';
import { RateLimitModule } from './rate-limit/rate-limit.module';
import { ReceiptsModule } from './receipts/receipts.module';
import { SimulationModule } from './simulation/simulation.module';
import { SQLITE_WORKER_ADAPTERS } from './sqlite-adapters';
import { STORE_WORKER_ADAPTERS, StoreModule, repositoryFor } from './store/store.module';
import { WebhooksModule } from './webhooks/webhooks.module';
import { AccountSummaryModule } from './account-summary/account-summary.module';
import { ConsoleModule } from './console/console.module';

/**
 * The composition root: wires the modules, binds the ports a module below defines to the module above
 * that implements them, and names the adapters the sqlite store worker serves. The configuration picks
 * the store and the provider. Global only for what it binds: the config, the clock and what outbound/
 * needs (AllowHosts, the resolver); every module lists its own imports, and Nest closes each module
 * after all the modules that import it: the store last.
 */
@Module({})
export class AppModule {
  /** `outboundResolver`: where outbound requests look names up (tests make a name resolve anywhere). */
  static register(config: AppConfig, outboundResolver: Resolver = systemResolver): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        ScheduleModule.forRoot(),
        StoreModule,
        AccessModule.forStore(config.store),
        HealthModule,
        MetricsModule,
        MessagingModule.forStore(config.store),
        AccountsModule.forStore(config.store),
        OutboxModule.forStore(config.store),
        ReceiptsModule.forStore(config.store),
        MediaDownloadsModule.forStore(config.store),
        EventsModule.forStore(config.store),
        WebhooksModule.forStore(config.store),
        MediaSendModule.forStore(config.store),
        MediaServeModule.forStore(config.store),
        ...(config.provider === 'simulator' ? [SimulationModule.forStore(config.store)] : []),
        RateLimitModule.perMinute(config.rateLimitPerMinute),
        AccountSummaryModule.forStore(config.store),
        ConsoleModule,
      ],
      providers: [
        { provide: AppConfig, useValue: config },
        Clock,
        { provide: APP_FILTER, useClass: HttpErrorFilter },
        { provide: APP_INTERCEPTOR, useClass: StoreDeadlineInterceptor },
        { provide: STORE_WORKER_ADAPTERS, useValue: SQLITE_WORKER_ADAPTERS },
        { provide: AllowHosts, useValue: config.outboundAllowHosts },
        { provide: OUTBOUND_RESOLVER, useValue: outboundResolver },
        { provide: SendAcceptance, useExisting: OutboxAcceptance },
        { provide: MediaLinks, useExisting: MediaLinkSigner },
        { provide: AccountReferences, useClass: EveryAccountReference },
        repositoryFor(AccountSends, config.store, { sqlite: SqliteAccountSends, firestore: FirestoreAccountSends }),
      ],
      exports: [AppConfig, Clock, STORE_WORKER_ADAPTERS, SendAcceptance, MediaLinks, AccountSends, AccountReferences, AllowHosts, OUTBOUND_RESOLVER],
    };
  }
}
