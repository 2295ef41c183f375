import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS } from './migrations';

export type SqliteConnection = Database.Database;

/** How long a writer waits for another process's transaction before giving up with SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 10_000;

/**
 * Opens the embedded store. WAL lets readers run beside the one writer, and several processes share the
 * file. `synchronous=FULL` makes a commit durable across a power cut, not only a crash: an accepted send
 * must be on disk before its 202 (group commit pays for it, see GroupCommit).
 */
export function openSqlite(path: string): SqliteConnection {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  // Each request's savepoint journal stays in memory instead of a temp file (measured: ~50 KiB and 24
  // write syscalls per accepted send); checkpoints run less often, so a page written by many batches in a
  // row reaches the database file once. Neither changes what a commit makes durable.
  db.pragma('temp_store = MEMORY');
  db.pragma('wal_autocheckpoint = 10000');
  db.pragma('journal_size_limit = 67108864');
  db.pragma('foreign_keys = ON');
  migrate(db);
  return db;
}

/** Runs pending migrations under a write lock, so processes starting together apply each once. */
function migrate(db: SqliteConnection): void {
  db.exec('BEGIN IMMEDIATE');
  try {
    const applied = db.pragma('user_version', { simple: true }) as number;
    for (let version = applied; version < MIGRATIONS.length; version++) db.exec(MIGRATIONS[version]);
    if (applied < MIGRATIONS.length) db.pragma(`user_version = ${MIGRATIONS.length}`);
    db.exec('COMMIT');
  } catch (error) {
    db.exec('ROLLBACK');
    throw error;
  }
}
