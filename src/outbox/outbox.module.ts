import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { MediaModule } from '../media/media.module';
import { MetricsModule } from '../metrics/metrics.module';
import { StoreModule, perStore, repositoryFor, sqliteRepository } from '../store/store.module';
import { WhatsAppModule } from '../whatsapp/whatsapp.module';
import { EndedOutboxItems } from './ended-items.repository';
import { SqliteEndedOutboxItems } from './sqlite/ended-items.repository.sqlite';
import { OutboxAcceptance } from './outbox-acceptance';
import { OutboxGauges } from './outbox-gauges';
import { OutboxProcessor } from './outbox-processor.service';
import { OutboxRetention } from './outbox-retention.service';
import { OutboxRepository } from './outbox.repository';
import { SendAttempts } from './send-attempts';
import { FirestoreOutboxRepository } from './firestore/outbox.repository.firestore';
import { SqliteOutboxRepository } from './sqlite/outbox.repository.sqlite';
import { FailedSends } from './failed-sends.service';
import { OutboxController } from './outbox.controller';

/**
 * The outbox: its repository, the acceptance the composition root binds to messaging's SendAcceptance,
 * the processor that sends through the accounts' sockets (a media send's bytes read from the blob store),
 * and on sqlite the retention of ended items (Firestore's TTL does that there).
 */
@Module({})
export class OutboxModule {
  static readonly forStore = perStore((store) => ({
    module: OutboxModule,
    imports: [StoreModule, AccountsModule.forStore(store), WhatsAppModule, MetricsModule, MediaModule.forStore(store)],
    controllers: [OutboxController],
    providers: [
      FailedSends,
      OutboxAcceptance,
      OutboxGauges,
      OutboxProcessor,
      SendAttempts,
      repositoryFor(OutboxRepository, store, { sqlite: SqliteOutboxRepository, firestore: FirestoreOutboxRepository }),
      ...(store === 'sqlite' ? [OutboxRetention, sqliteRepository(EndedOutboxItems, SqliteEndedOutboxItems)] : []),
    ],
    exports: [OutboxRepository, OutboxAcceptance, OutboxProcessor],
  }));
}
