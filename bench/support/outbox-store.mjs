// What the outbox benchmark reads back from the sqlite file: how far the drain is, when each item ended,
// and each message's accept-to-sent time. The store is the judge, not the processes' own counters.
import { readStore, waitFor } from './outbox-cluster.mjs';

/** Items not yet ended (queued or processing). */
export function openItems(sqlitePath) {
  return readStore(sqlitePath, (db) => db.prepare("SELECT COUNT(*) AS n FROM outbox WHERE status IN ('queued', 'processing')").get().n);
}

/**
 * Polls until no item is open; fails when nothing ended for `stallMs` (a stuck drain must not look slow).
 * Returns when the bench saw the end (the store's `ended_at` times are what the figures use).
 */
export async function waitForDrain(sqlitePath, { stallMs = 60_000, intervalMs = 50 } = {}) {
  let last = openItems(sqlitePath);
  let lastChange = Date.now();
  await waitFor('the outbox to drain', 60 * 60_000, () => {
    const open = openItems(sqlitePath);
    if (open !== last) {
      last = open;
      lastChange = Date.now();
    }
    if (Date.now() - lastChange > stallMs) throw new Error(`the drain stalled: ${open} items still open, none ended for ${stallMs} ms`);
    return open === 0;
  }, intervalMs);
}

/** Ended items of the run: outcome counts, first and last end, share per worker, and sanity checks. */
export function drainOutcome(sqlitePath) {
  return readStore(sqlitePath, (db) => {
    const statuses = Object.fromEntries(db.prepare('SELECT status, COUNT(*) AS n FROM outbox GROUP BY status').all().map((r) => [r.status, r.n]));
    const span = db.prepare("SELECT MIN(ended_at) AS firstEnd, MAX(ended_at) AS lastEnd, MIN(created_at) AS firstAccept, MAX(created_at) AS lastAccept FROM outbox WHERE status = 'sent'").get();
    const perWorker = Object.fromEntries(
      db.prepare("SELECT substr(claimed_by, 1, instr(claimed_by, '/') - 1) AS worker, COUNT(*) AS n FROM outbox GROUP BY worker ORDER BY worker").all().map((r) => [r.worker, r.n]),
    );
    const retried = db.prepare('SELECT COUNT(*) AS n FROM outbox WHERE attempts > 1').get().n;
    const messages = Object.fromEntries(
      db.prepare("SELECT status, COUNT(*) AS n FROM messages WHERE direction = 'outbound' GROUP BY status").all().map((r) => [r.status, r.n]),
    );
    const distinctIds = db.prepare('SELECT COUNT(DISTINCT wa_message_id) AS n FROM outbox').get().n;
    const threads = db.prepare('SELECT COUNT(DISTINCT thread_id) AS n FROM outbox').get().n;
    // Ends per 100 ms bucket: the drain's shape (a slow start, a tail, or a steady rate).
    const buckets = db
      .prepare("SELECT CAST((ended_at - @from) / 100 AS INTEGER) AS bucket, COUNT(*) AS n FROM outbox WHERE status = 'sent' GROUP BY bucket ORDER BY bucket")
      .all({ from: span.firstEnd ?? 0 });
    return { statuses, span, perWorker, retried, messages, distinctIds, threads, buckets };
  });
}

/**
 * Accept-to-sent times (ms) of the messages whose request id starts with `prefix`: `created_at` is taken
 * at accept, before the durable write, and `sent_at` is the clock read at the server ack (then written).
 */
export function acceptToSent(sqlitePath, prefix) {
  return readStore(sqlitePath, (db) => {
    const rows = db
      .prepare(
        `SELECT m.sent_at - m.created_at AS ms, m.status AS status FROM outbox o
         JOIN messages m ON m.thread_id = o.thread_id AND m.message_id = o.message_id
         WHERE o.request_id >= @prefix AND o.request_id < @upper`,
      )
      .all({ prefix, upper: `${prefix}\uffff` });
    return { latencies: rows.filter((r) => r.status === 'sent').map((r) => r.ms), notSent: rows.filter((r) => r.status !== 'sent').length, total: rows.length };
  });
}

export function percentiles(values, qs = [0.5, 0.9, 0.99, 0.999, 1]) {
  const sorted = [...values].sort((a, b) => a - b);
  return Object.fromEntries(qs.map((q) => [q, sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] : NaN]));
}
