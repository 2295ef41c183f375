import { parentPort, workerData } from 'node:worker_threads';
import { AccountNotFound } from '../common/errors';
import { commitTogether } from '../store/sqlite/group-commit';
import { SqliteStore } from '../store/sqlite/sqlite-store';
import { SqliteAcceptWrite } from './accept-write.sqlite';
import type { AcceptBatch, AcceptBatchResult, AcceptFailure } from './off-thread-accepts';

/**
 * The accept writer's thread: its own connection to the same file, one batch at a time, each batch one
 * transaction and one fsync. It keeps SQLite's CPU time and the wait for the disk off the HTTP thread.
 */
const store = SqliteStore.open((workerData as { path: string }).path);
const accepts = new SqliteAcceptWrite(store);

parentPort!.on('message', (batch: AcceptBatch) => {
  let result: AcceptBatchResult;
  try {
    const outcomes = commitTogether(
      store.db,
      batch.sends.map((send) => () => accepts.apply(send)),
    );
    result = { id: batch.id, outcomes: outcomes.map((o) => (o.ok ? { ok: true, outcome: o.value } : { ok: false, failure: failureOf(o.error) })) } as AcceptBatchResult;
  } catch (error) {
    result = { id: batch.id, batchFailure: failureOf(error) };
  }
  parentPort!.postMessage(result);
});

function failureOf(error: unknown): AcceptFailure {
  if (error instanceof AccountNotFound) return { kind: 'account-not-found', accountId: error.accountId };
  const { message, code } = error as { message?: string; code?: string };
  return { kind: 'error', message: message ?? String(error), code };
}
