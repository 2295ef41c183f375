import { DynamicModule, Module } from '@nestjs/common';
import { StoreKind } from '../config/app-config';
import { repositoryFor } from '../store/store.module';
import { ContactAliasRepository } from './contact-alias.repository';
import { FirestoreContactAliasRepository } from './contact-alias.repository.firestore';
import { SqliteContactAliasRepository } from './contact-alias.repository.sqlite';
import { InboundService } from './inbound.service';
import { SendController } from './send.controller';
import { SendService } from './send.service';
import { ThreadRepository } from './thread.repository';
import { FirestoreThreadRepository } from './thread.repository.firestore';
import { SqliteThreadRepository } from './thread.repository.sqlite';
import { ThreadsController } from './threads.controller';
import { ThreadIdentity } from './thread-identity';
import { ThreadsService } from './threads.service';

/** The send endpoint and the thread/message reads. Global: account sockets look up our own messages by WhatsApp id. */
@Module({})
export class MessagingModule {
  static forStore(store: StoreKind): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
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
    };
  }
}
