import { DynamicModule, Module } from '@nestjs/common';
import { StoreKind } from '../config/app-config';
import { repositoryFor } from '../store/store.module';
import { OutboxHandoff } from './outbox-handoff';
import { OutboxRepository } from './outbox.repository';
import { FirestoreOutboxRepository } from './outbox.repository.firestore';
import { SqliteOutboxRepository } from './outbox.repository.sqlite';

/** The outbox: its repository, and the hand-off through which accepted items reach the processor. */
@Module({})
export class OutboxModule {
  static forStore(store: StoreKind): DynamicModule {
    return {
      module: OutboxModule,
      global: true,
      providers: [
        OutboxHandoff,
        repositoryFor(OutboxRepository, store, { sqlite: SqliteOutboxRepository, firestore: FirestoreOutboxRepository }),
      ],
      exports: [OutboxRepository, OutboxHandoff],
    };
  }
}
