// Preloaded into the app by bench/memory.mjs: answers 'bench-memory:dump' over the IPC channel with the
// process's memory as V8 and Node see it (RSS is read from /proc by the bench itself) and its live
// handles, so a growing RSS can be told apart as JS heap, buffers outside the heap, or leaked sockets.
// With --expose-gc it also forces a full collection and reports the heap still live after it: what a
// phase retained, not the garbage V8 had not yet collected.
// Workers inherit the preload: in the sqlite store worker (src/store/sqlite/worker), which has a V8
// heap of its own inside the same RSS, it answers the main thread over a BroadcastChannel with that
// heap, and the main thread adds it to its answer as `storeThread` (absent when there is no worker).
'use strict';
const { isMainThread } = require('node:worker_threads');
const { storeWorkerRelay } = require('./store-worker-relay.cjs');

/** This thread's heap (process.memoryUsage's heap figures are per thread), after a forced GC if it can. */
function heap() {
  const { heapUsed, heapTotal, external, arrayBuffers } = process.memoryUsage();
  let heapLiveAfterGc;
  if (typeof global.gc === 'function') {
    global.gc();
    heapLiveAfterGc = process.memoryUsage().heapUsed;
  }
  return { heapUsed, heapTotal, external, arrayBuffers, heapLiveAfterGc };
}

const askStoreWorker = storeWorkerRelay('bench-memory', heap);

if (isMainThread && process.send) {
  process.on('message', async (message) => {
    if (message !== 'bench-memory:dump') return;
    const handles = {};
    for (const resource of process.getActiveResourcesInfo()) handles[resource] = (handles[resource] ?? 0) + 1;
    const { rss } = process.memoryUsage();
    process.send({ benchMemory: { rss, ...heap(), handles, storeThread: await askStoreWorker() } });
  });
}
