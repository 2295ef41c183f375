import { DynamicModule, Global, Injectable, Module, OnApplicationShutdown, Provider, Type } from '@nestjs/common';
import { AppConfig, StoreKind } from '../config/app-config';
import { FirestoreStore } from './firestore/firestore-store';
import { SqliteStore } from './sqlite/sqlite-store';

/** Holds whichever connection is open, and closes it last at shutdown. */
@Injectable()
export class StoreConnections implements OnApplicationShutdown {
  constructor(
    readonly sqlite?: SqliteStore,
    readonly firestore?: FirestoreStore,
  ) {}

  /** Readiness: the store answers a trivial read. */
  async ping(): Promise<void> {
    if (this.sqlite) this.sqlite.db.prepare('SELECT 1').get();
    if (this.firestore) await this.firestore.db.collection('accounts').limit(1).get();
  }

  async onApplicationShutdown(): Promise<void> {
    this.sqlite?.close();
    await this.firestore?.close();
  }
}

/** Hands out the connection for the configured store; nothing domain-specific lives here. */
@Global()
@Module({})
export class StoreModule {
  static forConfig(config: AppConfig): DynamicModule {
    const connection: Provider =
      config.store === 'sqlite'
        ? { provide: SqliteStore, useFactory: () => SqliteStore.open(config.sqlitePath) }
        : { provide: FirestoreStore, useFactory: () => FirestoreStore.open(config.firebaseProjectId!, config.firestoreEmulatorHost) };
    const connections: Provider = {
      provide: StoreConnections,
      inject: [config.store === 'sqlite' ? SqliteStore : FirestoreStore],
      useFactory: (store: SqliteStore | FirestoreStore) =>
        store instanceof SqliteStore ? new StoreConnections(store) : new StoreConnections(undefined, store),
    };
    return { module: StoreModule, providers: [connection, connections], exports: [connection.provide as Type, StoreConnections] };
  }
}

/** Picks a port's adapter for the configured store: `{ provide: Port, useClass: SqliteX | FirestoreX }`. */
export function repositoryFor<T>(port: abstract new (...args: never[]) => T, kind: StoreKind, adapters: Record<StoreKind, Type<T>>): Provider {
  return { provide: port, useClass: adapters[kind] };
}
