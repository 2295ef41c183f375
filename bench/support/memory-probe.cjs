// Preloaded into the app by bench/memory.mjs: answers 'bench-memory:dump' over the IPC channel with the
// process's memory as V8 and Node see it (RSS is read from /proc by the bench itself) and its live
// handles, so a growing RSS can be told apart as JS heap, buffers outside the heap, or leaked sockets.
// With --expose-gc it also forces a full collection and reports the heap still live after it: what a
// phase retained, not the garbage V8 had not yet collected.
'use strict';

if (process.send) {
  process.on('message', (message) => {
    if (message !== 'bench-memory:dump') return;
    const handles = {};
    for (const resource of process.getActiveResourcesInfo()) handles[resource] = (handles[resource] ?? 0) + 1;
    const usage = process.memoryUsage();
    let heapLiveAfterGc;
    if (typeof global.gc === 'function') {
      global.gc();
      heapLiveAfterGc = process.memoryUsage().heapUsed;
    }
    process.send({ benchMemory: { ...usage, heapLiveAfterGc, handles } });
  });
}
