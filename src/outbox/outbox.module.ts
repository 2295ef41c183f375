import { DynamicModule, Module } from '@nestjs/common';
import { StoreKind } from '../config/app-config';
import { SqliteStore } from '../store/sqlite/sqlite-store';
import { OffThreadAccepts } from './off-thread-accepts';
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
        store === 'sqlite'
          ? {
              provide: OutboxRepository,
              inject: [SqliteStore],
              // Accepts commit on their own thread, so the HTTP thread never waits for the disk.
              useFactory: (sqlite: SqliteStore) => new SqliteOutboxRepository(sqlite, new OffThreadAccepts(sqlite.db.name)),
            }
          : { provide: OutboxRepository, useClass: FirestoreOutboxRepository },
      ],
      exports: [OutboxRepository, OutboxHandoff, OutboxProcessor],
    };
  }
}
