import { DynamicModule, Module } from '@nestjs/common';
import { StoreKind } from '../config/app-config';
import { repositoryFor, sqliteRepository } from '../store/store.module';
import { EndedOutboxItems } from './ended-items.repository';
import { SqliteEndedOutboxItems } from './ended-items.repository.sqlite';
import { OutboxAcceptance } from './outbox-acceptance';
import { OutboxProcessor } from './outbox-processor.service';
import { OutboxRetention } from './outbox-retention.service';
import { OutboxRepository } from './outbox.repository';
import { FirestoreOutboxRepository } from './outbox.repository.firestore';
import { SqliteOutboxRepository } from './outbox.repository.sqlite';

/**
 * The outbox: its repository, the acceptance through which the send route's items reach it and the
 * processor, the processor, and on sqlite the retention of ended items (Firestore's TTL does that there).
 * Global, because accounts fail waiting items on logout and messaging accepts into it.
 */
@Module({})
export class OutboxModule {
  static forStore(store: StoreKind): DynamicModule {
    return {
      module: OutboxModule,
      global: true,
      providers: [
        OutboxAcceptance,
        OutboxProcessor,
        repositoryFor(OutboxRepository, store, { sqlite: SqliteOutboxRepository, firestore: FirestoreOutboxRepository }),
        ...(store === 'sqlite' ? [OutboxRetention, sqliteRepository(EndedOutboxItems, SqliteEndedOutboxItems)] : []),
      ],
      exports: [OutboxRepository, OutboxAcceptance, OutboxProcessor],
    };
  }
}
