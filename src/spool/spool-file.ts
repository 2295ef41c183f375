import { closeSync, openSync, unlinkSync } from 'node:fs';
import Database from 'better-sqlite3';

export interface SpoolEntry {
  seq: number;
  kind: string;
  /** The event as JSON, as it was handed in. */
  json: string;
}

const SCHEMA = 'CREATE TABLE IF NOT EXISTS events (seq INTEGER PRIMARY KEY, kind TEXT NOT NULL, json TEXT NOT NULL)';

/**
 * One process's spool file: a small SQLite database, held under an exclusive lock for as long as it is
 * open. With `locking_mode=EXCLUSIVE` SQLite keeps the file's POSIX lock from the first access until
 * close, and the kernel drops it when the process dies, however it dies: so a file another process can
 * lock has no live owner, and two live processes never hold one file (Node has no flock of its own).
 * WAL with `synchronous=FULL`: an append is fsynced before it returns; a write torn by a crash fails its
 * frame checksum and is skipped when the file is next opened, with the appends before it intact.
 */
export class SpoolFile {
  private readonly statements;

  private constructor(
    readonly path: string,
    private readonly db: Database.Database,
  ) {
    this.statements = {
      append: db.prepare('INSERT INTO events (kind, json) VALUES (?, ?)'),
      after: db.prepare('SELECT seq, kind, json FROM events WHERE seq > ? ORDER BY seq LIMIT ?'),
      remove: db.prepare('DELETE FROM events WHERE seq = ?'),
      count: db.prepare('SELECT COUNT(*) AS n FROM events').pluck(),
    };
  }

  /** A new file for this process: created 0600, locked before it can hold anything. */
  static create(path: string): SpoolFile {
    closeSync(openSync(path, 'wx', 0o600));
    try {
      // Another process may be probing the empty file this instant (`adopt`): wait for it to let go.
      const db = locked(path, 1000);
      db.exec(SCHEMA);
      return new SpoolFile(path, db);
    } catch (error) {
      unlinkSync(path);
      throw error;
    }
  }

  /**
   * The file of a process that is gone, now held by this one; undefined while its owner lives (or it
   * vanished). A file without the table is still being created (its creator locks it before writing the
   * table), or its creator died before: left alone, it holds nothing.
   */
  static adopt(path: string): SpoolFile | undefined {
    let db: Database.Database;
    try {
      db = locked(path, 0);
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'SQLITE_BUSY' || code === 'SQLITE_CANTOPEN') return undefined;
      throw error;
    }
    if (!db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'events'").get()) {
      db.close();
      return undefined;
    }
    return new SpoolFile(path, db);
  }

  append(kind: string, event: unknown): void {
    this.statements.append.run(kind, JSON.stringify(event));
  }

  /** Up to `limit` entries after `seq`, oldest first. */
  after(seq: number, limit: number): SpoolEntry[] {
    return this.statements.after.all(seq, limit) as SpoolEntry[];
  }

  remove(seq: number): void {
    this.statements.remove.run(seq);
  }

  count(): number {
    return this.statements.count.get() as number;
  }

  /** Lets go of the lock; what the file holds stays for the next process. */
  close(): void {
    if (this.db.open) this.db.close();
  }

  /** Closes and removes the file (its WAL goes at close). Only for a file that holds nothing. */
  delete(): void {
    this.close();
    try {
      unlinkSync(this.path);
    } catch (error) {
      // A process that probed it meanwhile may have removed it already: it held nothing either way.
      if ((error as { code?: string }).code !== 'ENOENT') throw error;
    }
  }
}

/** Opens an existing file and takes its lock, waiting up to `timeoutMs` for another holder (SQLITE_BUSY after). */
function locked(path: string, timeoutMs: number): Database.Database {
  const db = new Database(path, { fileMustExist: true, timeout: timeoutMs });
  try {
    // Before the first access: the lock is then kept until close, and WAL runs without shared memory.
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN IMMEDIATE');
    db.exec('COMMIT');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
