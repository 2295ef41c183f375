import { Statement } from 'better-sqlite3';
import { GroupCommit } from './group-commit';
import { SqliteConnection, openSqlite } from './sqlite-database';

/** Writes that may wait for one group commit when no limit is configured (`STORE_QUEUE_LIMIT`'s default, for any caller). */
export const DEFAULT_WRITE_QUEUE_LIMIT = 4000;

/** The process's one connection to the embedded store, and its group-commit writer. */
export class SqliteStore {
  readonly writes: GroupCommit;
  private readonly statements = new Map<string, Statement>();

  constructor(
    readonly db: SqliteConnection,
    writeQueueLimit = DEFAULT_WRITE_QUEUE_LIMIT,
  ) {
    this.writes = new GroupCommit(db, writeQueueLimit);
  }

  static open(path: string, writeQueueLimit = DEFAULT_WRITE_QUEUE_LIMIT): SqliteStore {
    return new SqliteStore(openSqlite(path), writeQueueLimit);
  }

  /** A prepared statement, compiled once per SQL text: preparing costs more than running most of ours. */
  statement(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /** A write that needs no batching partner (admin paths): still IMMEDIATE, still one transaction. */
  transaction<T>(write: () => T): T {
    return this.db.transaction(write).immediate();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
