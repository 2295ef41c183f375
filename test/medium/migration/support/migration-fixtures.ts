import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll } from 'vitest';
import { DocumentReference, Firestore } from 'firebase-admin/firestore';
import { FirestoreAccountRepository } from '../../../../src/accounts/firestore/account.repository.firestore';
import { SqliteAccountRepository } from '../../../../src/accounts/sqlite/account.repository.sqlite';
import { FirestoreThreadRepository } from '../../../../src/messaging/firestore/thread.repository.firestore';
import { SqliteThreadRepository } from '../../../../src/messaging/sqlite/thread.repository.sqlite';
import { FirestoreLegacyStore } from '../../../../src/migration/firestore/legacy-store.firestore';
import { SqliteLegacyStore } from '../../../../src/migration/sqlite/legacy-store.sqlite';
import { LegacyStore } from '../../../../src/migration/legacy-store';
import { FirestoreOutboxRepository } from '../../../../src/outbox/firestore/outbox.repository.firestore';
import { SqliteOutboxRepository } from '../../../../src/outbox/sqlite/outbox.repository.sqlite';
import { FirestoreStore } from '../../../../src/store/firestore/firestore-store';
import { SqliteStore } from '../../../../src/store/sqlite/sqlite-store';
import { AppRepositories, seedNewLayout } from './new-layout';
import { seedOldFirestore } from './seed-firestore';
import { seedOldSqlite } from './seed-sqlite';
import { FirestoreAccountSends } from '../../../../src/outbox/firestore/account-sends.firestore';
import { SqliteAccountSends } from '../../../../src/outbox/sqlite/account-sends.sqlite';

/** One store holding the fixture: the app's repositories on it, and a fresh migration connection per run. */
export interface MigrationFixture {
  app: AppRepositories;
  /** A new connection, as each `npm run migrate:thread-ids` is a new process; the run closes it. */
  openLegacyStore(): LegacyStore;
  /** Every doc (row) of the store, one line each, sorted: equal dumps mean nothing changed. */
  dump(): Promise<string[]>;
  /** The environment that points the CLI (and the app) at this store. */
  env: Record<string, string>;
}

export type MakeMigrationFixture = () => Promise<MigrationFixture>;

export function sqliteMigrationFixtures(): MakeMigrationFixture {
  const dir = mkdtempSync(join(tmpdir(), 'wa-migration-'));
  const open: SqliteStore[] = [];
  afterAll(() => {
    for (const store of open) store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return async () => {
    const path = join(dir, `${randomUUID()}.db`);
    const store = SqliteStore.open(path);
    open.push(store);
    const app = { accounts: new SqliteAccountRepository(store, new SqliteAccountSends(store)), threads: new SqliteThreadRepository(store), outbox: new SqliteOutboxRepository(store) };
    await seedNewLayout(app);
    seedOldSqlite(store.db);
    return { app, openLegacyStore: () => new SqliteLegacyStore(SqliteStore.open(path)), dump: async () => dumpSqlite(store), env: { STORE: 'sqlite', SQLITE_PATH: path } };
  };
}

export function firestoreMigrationFixtures(host: () => string): MakeMigrationFixture {
  const open: FirestoreStore[] = [];
  afterAll(() => Promise.all(open.map((store) => store.close())));
  return async () => {
    const projectId = `demo-migration-${randomUUID().slice(0, 8)}`;
    const store = FirestoreStore.open(projectId, host());
    open.push(store);
    const app = { accounts: new FirestoreAccountRepository(store, new FirestoreAccountSends(store)), threads: new FirestoreThreadRepository(store), outbox: new FirestoreOutboxRepository(store) };
    await seedNewLayout(app);
    await seedOldFirestore(store.db);
    return {
      app,
      openLegacyStore: () => new FirestoreLegacyStore(FirestoreStore.open(projectId, host())),
      dump: () => dumpFirestore(store.db),
      env: { STORE: 'firestore', FIREBASE_PROJECT_ID: projectId, FIRESTORE_EMULATOR_HOST: host() },
    };
  };
}

function dumpSqlite(store: SqliteStore): string[] {
  const tables = store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>;
  return tables.flatMap(({ name }) => (store.db.prepare(`SELECT * FROM "${name}"`).all() as object[]).map((row) => `${name} ${JSON.stringify(row)}`)).sort();
}

/** Walks every collection, including documents that exist only as parents of a subcollection. */
async function dumpFirestore(db: Firestore): Promise<string[]> {
  const lines: string[] = [];
  const walk = async (refs: DocumentReference[]): Promise<void> => {
    if (refs.length === 0) return;
    for (const doc of await db.getAll(...refs)) if (doc.exists) lines.push(`${doc.ref.path} ${JSON.stringify(doc.data())}`);
    for (const ref of refs) for (const sub of await ref.listCollections()) await walk(await sub.listDocuments());
  };
  for (const collection of await db.listCollections()) await walk(await collection.listDocuments());
  return lines.sort();
}
