import { DynamicModule, Injectable, Logger, Module, OnApplicationShutdown, Provider, Type } from '@nestjs/common';
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

/** What the sqlite store worker serves, provided by the composition root, which alone knows the features. */
export const STORE_WORKER_ADAPTERS = Symbol('SqliteWorkerAdapters');

/**
 * Hands out the connection for the configured store (the other is null: no adapter of it is made);
 * nothing domain-specific lives here. Every module with a repository imports it, so Nest closes it after
 * all of them at shutdown (a module's hooks run after those of every module that imports it).
 */
@Module({
  providers: [
    {
      provide: SqliteStoreWorker,
      inject: [AppConfig, STORE_WORKER_ADAPTERS],
      useFactory: (config: AppConfig, adapters: StoreWorkerAdapters) =>
        config.store === 'sqlite' ? SqliteStoreWorker.start(adapters, config.sqlitePath, exitOnLostStore, storeQueueLimits(config.storeQueueLimit)) : null,
    },
    {
      provide: FirestoreStore,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => (config.store === 'firestore' ? FirestoreStore.open(config.firebaseProjectId!, config.firestoreEmulatorHost, config.eventRetentionDays * 24 * 3_600_000) : null),
    },
    {
      provide: StoreConnections,
      inject: [SqliteStoreWorker, FirestoreStore],
      useFactory: (sqlite: SqliteStoreWorker | null, firestore: FirestoreStore | null) => new StoreConnections(sqlite ?? undefined, firestore ?? undefined),
    },
  ],
  exports: [SqliteStoreWorker, FirestoreStore, StoreConnections],
})
export class StoreModule {}

/**
 * A feature module's registration for the configured store, made once per store: Nest tells dynamic
 * modules apart by reference, so every module importing it must get the same object, or it would run twice.
 */
export function perStore(make: (store: StoreKind) => DynamicModule): (store: StoreKind) => DynamicModule {
  const made = new Map<StoreKind, DynamicModule>();
  return (store) => {
    if (!made.has(store)) made.set(store, make(store));
    return made.get(store)!;
  };
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
