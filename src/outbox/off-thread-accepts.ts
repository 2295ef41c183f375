import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { AccountNotFound } from '../common/errors';
import { MAX_BATCH } from '../store/sqlite/group-commit';
import { AcceptOutcome, AcceptedSend } from './outbox-item';

export type AcceptFailure = { kind: 'account-not-found'; accountId: string } | { kind: 'error'; message: string; code?: string };
export interface AcceptBatch {
  id: number;
  sends: AcceptedSend[];
}
export type AcceptBatchResult =
  | { id: number; outcomes: Array<{ ok: true; outcome: AcceptOutcome } | { ok: false; failure: AcceptFailure }> }
  | { id: number; batchFailure: AcceptFailure };

interface Pending {
  send: AcceptedSend;
  resolve: (outcome: AcceptOutcome) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit on a worker thread: accepts that arrive while the previous batch commits form the next
 * batch, and each promise settles only after its batch's commit (durable, `synchronous=FULL`). Measured
 * on the send benchmark: the HTTP thread no longer blocks in COMMIT, so parsing and answering overlap it.
 */
export class OffThreadAccepts {
  private readonly worker: Worker;
  private queue: Pending[] = [];
  private inFlight: { id: number; batch: Pending[] } | null = null;
  private nextId = 1;
  private closed = false;

  constructor(path: string) {
    this.worker = new Worker(workerScript(), { workerData: { path } });
    this.worker.on('message', (result: AcceptBatchResult) => this.settle(result));
    this.worker.on('error', (error) => this.failAll(error));
    this.worker.unref();
  }

  accept(send: AcceptedSend): Promise<AcceptOutcome> {
    if (this.closed) return Promise.reject(new Error('store: the accept writer is closed'));
    return new Promise((resolvePromise, reject) => {
      this.queue.push({ send, resolve: resolvePromise, reject });
      this.dispatch();
    });
  }

  /** Waits for the batch being committed, then stops the thread (its connection closes with it). */
  async close(): Promise<void> {
    this.closed = true;
    while (this.inFlight || this.queue.length > 0) await new Promise((r) => setTimeout(r, 5));
    await this.worker.terminate();
  }

  private dispatch(): void {
    if (this.inFlight || this.queue.length === 0) return;
    const batch = this.queue.splice(0, MAX_BATCH);
    this.inFlight = { id: this.nextId++, batch };
    this.worker.postMessage({ id: this.inFlight.id, sends: batch.map((p) => p.send) } satisfies AcceptBatch);
  }

  private settle(result: AcceptBatchResult): void {
    const batch = this.inFlight?.batch ?? [];
    this.inFlight = null;
    if ('batchFailure' in result) for (const pending of batch) pending.reject(errorOf(result.batchFailure));
    else
      result.outcomes.forEach((outcome, i) => {
        if (outcome.ok) batch[i].resolve(outcome.outcome);
        else batch[i].reject(errorOf(outcome.failure));
      });
    this.dispatch();
  }

  private failAll(error: unknown): void {
    for (const pending of [...(this.inFlight?.batch ?? []), ...this.queue]) pending.reject(error);
    this.inFlight = null;
    this.queue = [];
    this.closed = true;
  }
}

function errorOf(failure: AcceptFailure): Error {
  if (failure.kind === 'account-not-found') return new AccountNotFound(failure.accountId);
  return Object.assign(new Error(failure.message), { code: failure.code });
}

/**
 * The compiled worker beside this file; when the app runs from TypeScript sources (the test runner), the
 * copy in dist/ that the test setup builds.
 */
function workerScript(): string {
  const beside = join(__dirname, 'accept-worker.sqlite.js');
  return existsSync(beside) ? beside : resolve(__dirname, '../../dist/outbox/accept-worker.sqlite.js');
}
