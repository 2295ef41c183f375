// After the app was killed: is every 202 in the store, and nothing else? Read straight from the sqlite file.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const Database = require('better-sqlite3');

/**
 * `accepted` maps each request id answered 202 to the messageId of its answer. Every one must have its
 * outbox row (same message id) and its queued message; the outbox must hold no other row.
 */
export function checkOutbox(sqlitePath, accepted) {
  // Not read-only: after the app was killed, the first connection must recover the WAL index.
  const db = new Database(sqlitePath);
  try {
    const rows = db.prepare('SELECT request_id, message_id, status FROM outbox').all();
    const messages = db.prepare("SELECT COUNT(*) AS n FROM messages WHERE direction = 'outbound'").get().n;
    const problems = [];
    let missing = 0;
    let mismatched = 0;
    const stored = new Map(rows.map((row) => [row.request_id, row]));
    for (const [requestId, messageId] of accepted) {
      const row = stored.get(requestId);
      if (!row) missing += 1;
      else if (row.message_id !== messageId) mismatched += 1;
    }
    const unanswered = rows.filter((row) => !accepted.has(row.request_id)).length;
    if (rows.length !== accepted.size) problems.push(`outbox holds ${rows.length} rows for ${accepted.size} answers 202`);
    if (missing > 0) problems.push(`${missing} sends answered 202 have no outbox row (not durable)`);
    if (mismatched > 0) problems.push(`${mismatched} outbox rows carry another messageId than their 202 answer`);
    if (unanswered > 0) problems.push(`${unanswered} outbox rows were never answered 202`);
    if (messages !== rows.length) problems.push(`${messages} outbound messages for ${rows.length} outbox rows`);
    return { outboxRows: rows.length, messages, problems };
  } finally {
    db.close();
  }
}

/**
 * The durability setting of a connection opened the way the app opens one (dist's openSqlite): a
 * pragma, not stored in the file, so it can only be read from a connection. better-sqlite3 is built with
 * SQLITE_DEFAULT_WAL_SYNCHRONOUS=1, so a WAL connection that does not ask for FULL gets NORMAL (1).
 */
export function synchronousOfOpenSqlite(sqlitePath) {
  const { openSqlite } = require('../../dist/store/sqlite/sqlite-database.js');
  const db = openSqlite(sqlitePath);
  try {
    return db.pragma('synchronous', { simple: true });
  } finally {
    db.close();
  }
}
