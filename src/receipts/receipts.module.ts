import { Module } from '@nestjs/common';
import { MetricsModule } from '../metrics/metrics.module';
import { OutboxModule } from '../outbox/outbox.module';
import { SpoolModule } from '../spool/spool.module';
import { StoreModule, perStore, repositoryFor } from '../store/store.module';
import { WhatsAppModule } from '../whatsapp/whatsapp.module';
import { MessageStatusRepository } from './message-status.repository';
import { FirestoreMessageStatusRepository } from './firestore/message-status.repository.firestore';
import { SqliteMessageStatusRepository } from './sqlite/message-status.repository.sqlite';
import { ReceiptsService } from './receipts.service';

/** Maps provider receipts (from the provider-event bus) to message statuses, forward only, and ends the outbox items they prove. */
@Module({})
export class ReceiptsModule {
  static readonly forStore = perStore((store) => ({
    module: ReceiptsModule,
    imports: [StoreModule, OutboxModule.forStore(store), SpoolModule, WhatsAppModule, MetricsModule],
    providers: [
      ReceiptsService,
      repositoryFor(MessageStatusRepository, store, { sqlite: SqliteMessageStatusRepository, firestore: FirestoreMessageStatusRepository }),
    ],
    exports: [ReceiptsService],
  }));
}
