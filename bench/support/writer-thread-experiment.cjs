// An experiment, not the design: the accept write (its statements, COMMIT, fsync and checkpoints) runs
// on a writer thread with its own connection, so the main thread keeps serving HTTP while the disk works.
// It replaces the compiled SqliteOutboxRepository.accept in one process; src/ is untouched. Sends are
// posted to the writer in one message per event-loop turn; the writer runs them through the app's own
// repository and GroupCommit and answers after its COMMIT, so a 202 still follows a durable write.
//   NODE_OPTIONS="--require $PWD/bench/support/writer-thread-experiment.cjs" npm run bench:send -- --no-probe
// (--no-probe: the probe instruments the main thread's GroupCommit, which no longer sees the sends.)
'use strict';
const path = require('node:path');
const { Worker, isMainThread, parentPort, workerData } = require('node:worker_threads');
const dist = path.resolve(__dirname, '../../dist');
const { SqliteOutboxRepository } = require(path.join(dist, 'outbox/outbox.repository.sqlite.js'));

if (isMainThread) {
  const { AccountNotFound } = require(path.join(dist, 'common/errors.js'));
  let writer;
  let nextId = 0;
  const pending = new Map();
  let outgoing = [];
  SqliteOutboxRepository.prototype.accept = function acceptOnWriterThread(send) {
    if (!writer) {
      writer = new Worker(__filename, { workerData: { benchWriterThread: true, path: this.store.db.name } });
      writer.unref();
      writer.on('message', (answers) => {
        for (const answer of answers) {
          const { resolve, reject } = pending.get(answer.id);
          pending.delete(answer.id);
          if (answer.ok) resolve(answer.value);
          else if (answer.error.name === 'AccountNotFound') reject(new AccountNotFound(answer.error.accountId));
          else reject(Object.assign(new Error(answer.error.message), { code: answer.error.code }));
        }
      });
      writer.on('error', (error) => console.error('writer thread failed', error));
    }
    return new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      if (outgoing.length === 0) {
        setImmediate(() => {
          writer.postMessage(outgoing);
          outgoing = [];
        });
      }
      outgoing.push({ id, send });
    });
  };
} else if (workerData?.benchWriterThread && !globalThis.benchWriterStarted) {
  // Preloads run in worker threads too: start the writer once, and only in the thread made for it.
  globalThis.benchWriterStarted = true;
  const { SqliteStore } = require(path.join(dist, 'store/sqlite/sqlite-store.js'));
  const outbox = new SqliteOutboxRepository(SqliteStore.open(workerData.path));
  let replies = [];
  const reply = (answer) => {
    if (replies.length === 0) {
      setImmediate(() => {
        parentPort.postMessage(replies);
        replies = [];
      });
    }
    replies.push(answer);
  };
  parentPort.on('message', (sends) => {
    for (const { id, send } of sends) {
      outbox.accept(send).then(
        (value) => reply({ id, ok: true, value }),
        (error) => reply({ id, ok: false, error: { name: error?.constructor?.name, message: String(error?.message), code: error?.code, accountId: send.accountId } }),
      );
    }
  });
}
