import { existsSync } from 'node:fs';
import { AppConfig, ConfigError } from '../config/app-config';
import { FirestoreStore } from '../store/firestore/firestore-store';
import { SqliteStore } from '../store/sqlite/sqlite-store';
import { FirestoreLegacyStore } from './firestore/legacy-store.firestore';
import { SqliteLegacyStore } from './sqlite/legacy-store.sqlite';
import { LegacyStore } from './legacy-store';

/** The store the app is configured for, opened as the app opens it, seen through the migration's port. */
export function openLegacyStore(config: AppConfig): LegacyStore {
  if (config.store === 'firestore') return new FirestoreLegacyStore(FirestoreStore.open(config.firebaseProjectId!, config.firestoreEmulatorHost));
  // Opening a path that does not exist would make an empty database there and report "nothing to do".
  if (config.sqlitePath !== ':memory:' && !existsSync(config.sqlitePath)) throw new ConfigError(`SQLITE_PATH=${config.sqlitePath}: no database there to migrate`);
  return new SqliteLegacyStore(SqliteStore.open(config.sqlitePath));
}

/** Where the report says it ran: enough to tell production from a test project at a glance. */
export function storeDescription(config: AppConfig): string {
  if (config.store === 'sqlite') return `sqlite ${config.sqlitePath}`;
  return `firestore project ${config.firebaseProjectId}${config.firestoreEmulatorHost ? ` (emulator ${config.firestoreEmulatorHost})` : ''}`;
}
