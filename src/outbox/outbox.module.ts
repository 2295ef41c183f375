import { DynamicModule, Module } from '@nestjs/common';
import { StoreKind } from '../config/app-config';
import { repositoryFor } from '../store/store.module';
import { OutboxHandoff } from './outbox-handoff';
import { OutboxProcessor } from './outbox-processor.service';
import { OutboxRepository } from './outbox.repository';
import { FirestoreOutboxRepository } from './outbox.repository.firestore';
import { SqliteOutboxRepository } from './outbox.repository.sqlite';

/**
 * The outbox: its repository, the hand-off through which accepted items reach the processor, and the
 * processor. Global, because accounts fail waiting items on logout and messaging accepts into it.
 */
@Module({})
export class OutboxModule {
  static forStore(store: StoreKind): DynamicModule {
    return {
      module: OutboxModule,
      global: true,
      providers: [
        OutboxHandoff,
        OutboxProcessor,
        repositoryFor(OutboxRepository, store, { sqlite: SqliteOutboxRepository, firestore: FirestoreOutboxRepository }),
      ],
      exports: [OutboxRepository, OutboxHandoff, OutboxProcessor],
    };
  }
}
