import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { AccountSends } from './accounts/account-sends';
import { AccountsModule } from './accounts/accounts.module';
import { ApiKeyGuard } from './common/api-key.guard';
import { ApiKeys } from './common/api-keys';
import { Clock } from './common/clock';
import { HttpErrorFilter } from './common/http-errors';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { HealthModule } from './health/health.module';
import { MessagingModule } from './messaging/messaging.module';
import { SendAcceptance } from './messaging/send-acceptance';
import { MetricsModule } from './metrics/metrics.module';
import { FirestoreAccountSends } from './outbox/account-sends.firestore';
import { SqliteAccountSends } from './outbox/account-sends.sqlite';
import { OutboxAcceptance } from './outbox/outbox-acceptance';
import { OutboxModule } from './outbox/outbox.module';
import { RateLimitModule } from './rate-limit/rate-limit.module';
import { ReceiptsModule } from './receipts/receipts.module';
import { SpoolModule } from './spool/spool.module';
import { SQLITE_WORKER_ADAPTERS } from './sqlite-adapters';
import { StoreModule, repositoryFor } from './store/store.module';
import { WhatsAppModule } from './whatsapp/whatsapp.module';

/** Wires the feature modules; the configuration picks the store and the provider. */
@Module({})
export class AppModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      global: true,
      // Shutdown hooks of global modules run in reverse import order: the store stays imported before
      // the modules that still write at shutdown (outbox releases, account leases), so it closes last;
      // the spool next to it, so it still takes what the closing sockets' last events could not store.
      imports: [
        ConfigModule.forConfig(config),
        StoreModule.forConfig(config, SQLITE_WORKER_ADAPTERS),
        SpoolModule,
        ScheduleModule.forRoot(),
        WhatsAppModule.forConfig(config),
        AccountsModule.forStore(config.store),
        OutboxModule.forStore(config.store),
        MessagingModule.forStore(config.store),
        ReceiptsModule.forStore(config.store),
        HealthModule,
        MetricsModule.forStore(config.store),
        RateLimitModule.perMinute(config.rateLimitPerMinute),
      ],
      providers: [
        Clock,
        ApiKeys,
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        { provide: APP_FILTER, useClass: HttpErrorFilter },
        // Ports a module below defines and a module above implements.
        { provide: SendAcceptance, useExisting: OutboxAcceptance },
        repositoryFor(AccountSends, config.store, { sqlite: SqliteAccountSends, firestore: FirestoreAccountSends }),
      ],
      exports: [Clock, SendAcceptance, AccountSends],
    };
  }
}
