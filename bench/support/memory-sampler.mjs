// RSS of a process under test, read from /proc once a second, and its own view of its memory
// (bench/support/memory-probe.cjs, over the IPC channel) at the end of each sampling window: the main
// thread's heap and, apart, the sqlite store worker's.
import { readFileSync } from 'node:fs';
import { WebSocketServer } from 'ws';

const MiB = 2 ** 20;

/** VmRSS (resident now) and VmHWM (the peak resident since start) of `pid`, in MiB. */
export function residentMiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]);
  return { rss: kib('VmRSS') / 1024, hwm: kib('VmHWM') / 1024 };
}

/**
 * Samples RSS every `intervalMs` for `seconds` (while `during` runs, if given): min, mean, max, and the
 * probe's view at the end (asked after the last sample: its forced GC does not move the RSS figures).
 */
export async function sampleMemory(server, { seconds, intervalMs = 1000, during } = {}) {
  const samples = [];
  const take = () => samples.push(residentMiB(server.pid).rss);
  take();
  const timer = setInterval(take, intervalMs);
  const started = Date.now();
  try {
    if (during) await during();
    const left = seconds * 1000 - (Date.now() - started);
    if (left > 0) await new Promise((resolve) => setTimeout(resolve, left));
  } finally {
    clearInterval(timer);
  }
  take();
  const inside = await server.ask('bench-memory:dump', (message) => message?.benchMemory);
  return {
    samples: samples.length,
    seconds: (Date.now() - started) / 1000,
    min: Math.min(...samples),
    avg: samples.reduce((a, b) => a + b, 0) / samples.length,
    max: Math.max(...samples),
    peak: residentMiB(server.pid).hwm,
    heapUsed: inside.heapUsed / MiB,
    heapLive: inside.heapLiveAfterGc === undefined ? NaN : inside.heapLiveAfterGc / MiB,
    heapTotal: inside.heapTotal / MiB,
    external: inside.external / MiB,
    arrayBuffers: inside.arrayBuffers / MiB,
    // The sqlite store worker's own V8 heap (inside the same RSS), when there is a worker.
    storeHeapUsed: inside.storeThread ? inside.storeThread.heapUsed / MiB : NaN,
    storeHeapLive: inside.storeThread?.heapLiveAfterGc === undefined ? NaN : inside.storeThread.heapLiveAfterGc / MiB,
    handles: inside.handles,
  };
}

/**
 * A stand-in for WhatsApp's WebSocket endpoint on 127.0.0.1 that accepts each connection and drops it at
 * once (as test/whatsapp/real-socket.spec.ts does): Baileys closes with 428 (connectionClosed) and the
 * app's reconnect policy tries again with backoff. Counts the connections it dropped.
 */
export async function startDroppingServer() {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  let connections = 0;
  server.on('connection', (client) => {
    connections += 1;
    client.terminate();
  });
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    url: `ws://127.0.0.1:${server.address().port}/ws/chat`,
    connections: () => connections,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
