import { Module } from '@nestjs/common';
import { StoreModule, perStore, sqliteRepository } from '../store/store.module';
import { EventLog } from './event-log.repository';
import { EventRetention } from './event-retention.service';
import { EventStream } from './event-stream';
import { EventsController } from './events.controller';
import { SqliteEventLog } from './sqlite/event-log.repository.sqlite';

/**
 * The event log's readers: the live stream and its JSON pages, and on sqlite its retention. The log is
 * appended by the adapters of the changes it reports (events/sqlite/event-append.sqlite.ts), never here.
 * On sqlite only for now: the Firestore adapters do not append yet (docs/events.md).
 */
@Module({})
export class EventsModule {
  static readonly forStore = perStore(() => ({
    module: EventsModule,
    imports: [StoreModule],
    controllers: [EventsController],
    providers: [EventStream, EventRetention, sqliteRepository(EventLog, SqliteEventLog)],
    exports: [EventLog],
  }));
}
