import { DynamicModule, Module } from '@nestjs/common';
import { StoreKind } from '../config/app-config';
import { repositoryFor } from '../store/store.module';
import { MessageStatusRepository } from './message-status.repository';
import { FirestoreMessageStatusRepository } from './message-status.repository.firestore';
import { SqliteMessageStatusRepository } from './message-status.repository.sqlite';
import { ReceiptsService } from './receipts.service';

/** Maps provider receipts to message statuses, forward only. */
@Module({})
export class ReceiptsModule {
  static forStore(store: StoreKind): DynamicModule {
    return {
      module: ReceiptsModule,
      providers: [
        ReceiptsService,
        repositoryFor(MessageStatusRepository, store, { sqlite: SqliteMessageStatusRepository, firestore: FirestoreMessageStatusRepository }),
      ],
      exports: [ReceiptsService],
    };
  }
}
