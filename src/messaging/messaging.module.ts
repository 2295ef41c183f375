import { Module } from '@nestjs/common';
import { MetricsModule } from '../metrics/metrics.module';
import { SpoolModule } from '../spool/spool.module';
import { StoreModule, perStore, repositoryFor } from '../store/store.module';
import { WhatsAppModule } from '../whatsapp/whatsapp.module';
import { ContactAliasRepository } from './contact-alias.repository';
import { FirestoreContactAliasRepository } from './firestore/contact-alias.repository.firestore';
import { SqliteContactAliasRepository } from './sqlite/contact-alias.repository.sqlite';
import { InboundService } from './inbound.service';
import { SendController } from './send.controller';
import { SendService } from './send.service';
import { ThreadRepository } from './thread.repository';
import { FirestoreThreadRepository } from './firestore/thread.repository.firestore';
import { SqliteThreadRepository } from './sqlite/thread.repository.sqlite';
import { ThreadsController } from './threads.controller';
import { ThreadIdentity } from './thread-identity';
import { ThreadsService } from './threads.service';

/**
 * The core: the message model, the send endpoint, inbound messages and the thread/message reads. It
 * imports no feature: the send route hands an accepted send to `SendAcceptance`, which the composition
 * root binds to the outbox, and inbound events arrive on the provider-event bus.
 */
@Module({})
export class MessagingModule {
  static readonly forStore = perStore((store) => ({
    module: MessagingModule,
    imports: [StoreModule, SpoolModule, WhatsAppModule, MetricsModule],
    controllers: [SendController, ThreadsController],
    providers: [
      SendService,
      ThreadsService,
      InboundService,
      ThreadIdentity,
      repositoryFor(ContactAliasRepository, store, { sqlite: SqliteContactAliasRepository, firestore: FirestoreContactAliasRepository }),
      repositoryFor(ThreadRepository, store, { sqlite: SqliteThreadRepository, firestore: FirestoreThreadRepository }),
    ],
    exports: [ThreadRepository, ThreadIdentity],
  }));
}
