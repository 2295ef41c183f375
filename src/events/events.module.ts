import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { StoreModule, perStore, repositoryFor } from '../store/store.module';
import { EventLog } from './event-log.repository';
import { EventRetention } from './event-retention.service';
import { EventStream } from './event-stream';
import { EventsController } from './events.controller';
import { FirestoreEventLog } from './firestore/event-log.repository.firestore';
import { SqliteEventLog } from './sqlite/event-log.repository.sqlite';

/**
 * The event log's readers: the live stream and its JSON pages, and on sqlite its retention (Firestore's
 * TTL on `expireAt` does it there). The log is appended by the adapters of the changes it reports
 * (events/sqlite/event-append.sqlite.ts, events/firestore/event-docs.firestore.ts), never here. Access
 * says whom a read may show and when a stream's account key was deleted.
 */
@Module({})
export class EventsModule {
  static readonly forStore = perStore((store) => ({
    module: EventsModule,
    imports: [StoreModule, AccessModule.forStore(store)],
    controllers: [EventsController],
    providers: [EventStream, ...(store === 'sqlite' ? [EventRetention] : []), repositoryFor(EventLog, store, { sqlite: SqliteEventLog, firestore: FirestoreEventLog })],
    exports: [EventLog],
  }));
}
