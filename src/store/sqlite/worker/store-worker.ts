import { parentPort, workerData } from 'node:worker_threads';
import { SqliteStore } from '../sqlite-store';
import { FromWorker, STORE_PROBE, ServedAdapterFactories, StoreAnswer, StoreCall, StoreWorkerData, ToWorker } from './protocol';
import { toRemoteError } from './remote-error';

/**
 * The thread that owns the process's sqlite connection and runs every repository call on it, so the
 * event loop that serves HTTP never waits for SQLite: not for a COMMIT's fsync, not for the lock another
 * process holds. Calls that arrive together join one group commit (the adapters' `store.writes`).
 */
const port = parentPort!;
const { path, writeQueueLimit, adaptersModule } = workerData as StoreWorkerData;
// Named by the composition root, which alone knows the features: store/ imports none of them.
const { SERVED_ADAPTERS } = require(adaptersModule) as { SERVED_ADAPTERS: ServedAdapterFactories };
const store = SqliteStore.open(path, writeQueueLimit);
const served = new Map<string, object>(Object.entries(SERVED_ADAPTERS).map(([name, make]) => [name, make(store)]));
served.set(STORE_PROBE, { ping: () => store.db.prepare('SELECT 1').get() });

let inFlight = 0;
let closing = false;
let answers: StoreAnswer[] = [];
let answerScheduled = false;

post({ ready: Object.fromEntries([...served].map(([name, adapter]) => [name, adapter.constructor.name])) });

port.on('message', (message: ToWorker) => {
  if ('close' in message) {
    closing = true;
    closeWhenIdle();
    return;
  }
  for (const call of message.calls) {
    if (closing) answer([call[0], false, toRemoteError(new Error('the sqlite store is closed'))], false);
    else run(call);
  }
});

function run([id, portName, method, args]: StoreCall): void {
  let result: unknown;
  try {
    const target = served.get(portName) as Record<string, unknown> | undefined;
    const fn = target?.[method];
    if (typeof fn !== 'function') throw new Error(`the store worker has no ${portName}.${method}`);
    // Called now, not in a later tick: every call of this message reaches the group commit in this turn.
    result = fn.apply(target, args);
  } catch (error) {
    answer([id, false, toRemoteError(error)], false);
    return;
  }
  inFlight++;
  Promise.resolve(result).then(
    (value) => answer([id, true, value]),
    (error: unknown) => answer([id, false, toRemoteError(error)]),
  );
}

function answer(settled: StoreAnswer, wasInFlight = true): void {
  if (wasInFlight) inFlight--;
  answers.push(settled);
  if (answerScheduled) return;
  answerScheduled = true;
  // After the commit's promises have all settled: one message carries the whole batch's answers.
  setImmediate(() => {
    answerScheduled = false;
    const batch = answers;
    answers = [];
    sendAnswers(batch);
    if (closing) closeWhenIdle();
  });
}

function sendAnswers(batch: StoreAnswer[]): void {
  try {
    post({ answers: batch });
  } catch {
    // A value postMessage cannot copy fails its own call, not the batch.
    for (const one of batch) {
      try {
        post({ answers: [one] });
      } catch (error) {
        post({ answers: [[one[0], false, toRemoteError(error)]] });
      }
    }
  }
}

function closeWhenIdle(): void {
  if (inFlight > 0 || answerScheduled) return;
  store.close();
  post({ closed: true });
  port.close();
}

function post(message: FromWorker): void {
  port.postMessage(message);
}
