// For the preloads that run in both of the app's threads (a Worker inherits --require): the bench asks
// the main thread over IPC, and the main thread asks the sqlite store worker (src/store/sqlite/worker),
// where the store's work happens, over a BroadcastChannel, then answers for both.
'use strict';
const { BroadcastChannel, isMainThread } = require('node:worker_threads');

/** How long the main thread waits for the worker: with no worker (the Firestore store) nobody answers. */
const STORE_WORKER_TIMEOUT_MS = 5_000;

/**
 * On the channel `name`: in a worker, answers each request with `answer(request)` (a value or a promise);
 * on the main thread, returns `ask(request)`, which resolves with the worker's answer, or undefined if
 * none came in time. One question at a time: the benches ask, wait, then ask again.
 */
function storeWorkerRelay(name, answer) {
  const channel = new BroadcastChannel(name);
  channel.unref();
  if (!isMainThread) {
    channel.onmessage = async ({ data }) => {
      if ('request' in data) channel.postMessage({ answer: await answer(data.request) });
    };
    return undefined;
  }
  let waiting;
  channel.onmessage = ({ data }) => {
    if ('answer' in data) waiting?.(data.answer);
  };
  return (request) =>
    new Promise((resolve) => {
      const timer = setTimeout(() => waiting(undefined), STORE_WORKER_TIMEOUT_MS);
      waiting = (value) => {
        clearTimeout(timer);
        waiting = undefined;
        resolve(value);
      };
      channel.postMessage({ request });
    });
}

module.exports = { storeWorkerRelay };
