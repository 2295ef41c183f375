import { DynamicModule, Global, Injectable, Logger, Module, OnApplicationShutdown, Provider, Type } from '@nestjs/common';
import { AppConfig, StoreKind } from '../config/app-config';
import { FirestoreStore } from './firestore/firestore-store';
import { StoreWorkerAdapters } from './sqlite/worker/protocol';
import { SqliteStoreWorker, storeQueueLimits } from './sqlite/worker/store-worker-client';

/** Holds whichever connection is open, and closes it last at shutdown. */
@Injectable()
export class StoreConnections implements OnApplicationShutdown {
  constructor(
    readonly sqlite?: SqliteStoreWorker,
    readonly firestore?: FirestoreStore,
  ) {}

  /** Readiness: the store answers a trivial read. */
  async ping(): Promise<void> {
    if (this.sqlite) await this.sqlite.ping();
    if (this.firestore) await this.firestore.db.collection('accounts').limit(1).get();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.sqlite?.close();
    await this.firestore?.close();
  }
}

/** Hands out the connection for the configured store; nothing domain-specific lives here. */
@Global()
@Module({})
export class StoreModule {
  /** `sqliteAdapters`: what the sqlite store worker serves, from the composition root (unused on Firestore). */
  static forConfig(config: AppConfig, sqliteAdapters: StoreWorkerAdapters): DynamicModule {
    const connection: Provider =
      config.store === 'sqlite'
        ? {
            provide: SqliteStoreWorker,
            useFactory: () => SqliteStoreWorker.start(sqliteAdapters, config.sqlitePath, exitOnLostStore, storeQueueLimits(config.storeQueueLimit)),
          }
        : { provide: FirestoreStore, useFactory: () => FirestoreStore.open(config.firebaseProjectId!, config.firestoreEmulatorHost) };
    const connections: Provider = {
      provide: StoreConnections,
      inject: [config.store === 'sqlite' ? SqliteStoreWorker : FirestoreStore],
      useFactory: (store: SqliteStoreWorker | FirestoreStore) =>
        store instanceof SqliteStoreWorker ? new StoreConnections(store) : new StoreConnections(undefined, store),
    };
    return { module: StoreModule, providers: [connection, connections], exports: [connection.provide as Type, StoreConnections] };
  }
}

/**
 * Picks a port's adapter for the configured store: on Firestore the adapter itself, on sqlite the same
 * adapter running in the store worker, reached through its calls (see SqliteStoreWorker).
 */
export function repositoryFor<T extends object>(port: abstract new (...args: never[]) => T, kind: StoreKind, adapters: Record<StoreKind, Type<T>>): Provider {
  if (kind === 'firestore') return { provide: port, useClass: adapters.firestore };
  return sqliteRepository(port, adapters.sqlite);
}

/** A port only the sqlite store needs (Firestore does that work itself): its adapter in the store worker. */
export function sqliteRepository<T extends object>(port: abstract new (...args: never[]) => T, adapter: Type<T>): Provider {
  return { provide: port, inject: [SqliteStoreWorker], useFactory: (worker: SqliteStoreWorker) => worker.adapter(port, adapter) };
}

/**
 * Without its store worker this process can only fail every request, and its account leases would
 * lapse anyway: it exits, so its supervisor restarts it while another instance takes its accounts.
 */
function exitOnLostStore(error: Error): void {
  new Logger('StoreModule').fatal({ err: error }, 'the sqlite store worker ended; exiting');
  process.exit(1);
}
