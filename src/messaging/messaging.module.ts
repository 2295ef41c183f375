import { DynamicModule, Module } from '@nestjs/common';
import { StoreKind } from '../config/app-config';
import { OutboxModule } from '../outbox/outbox.module';
import { repositoryFor } from '../store/store.module';
import { SendController } from './send.controller';
import { SendService } from './send.service';
import { ThreadRepository } from './thread.repository';
import { FirestoreThreadRepository } from './thread.repository.firestore';
import { SqliteThreadRepository } from './thread.repository.sqlite';
import { ThreadsController } from './threads.controller';
import { ThreadsService } from './threads.service';

/** The send endpoint and the thread/message reads. */
@Module({})
export class MessagingModule {
  static forStore(store: StoreKind): DynamicModule {
    return {
      module: MessagingModule,
      imports: [OutboxModule.forStore(store)],
      controllers: [SendController, ThreadsController],
      providers: [
        SendService,
        ThreadsService,
        repositoryFor(ThreadRepository, store, { sqlite: SqliteThreadRepository, firestore: FirestoreThreadRepository }),
      ],
      exports: [ThreadRepository],
    };
  }
}
