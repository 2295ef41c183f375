import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Worker } from 'node:worker_threads';
import { StoreQueueFull } from '../../../common/errors';
import { FromWorker, STORE_PROBE, StoreAnswer, StoreCall, StoreWorkerAdapters, StoreWorkerData } from './protocol';
import { fromRemoteError } from './remote-error';

/** src/ when running from TypeScript sources (the tests), dist/ when running from the build. */
const SOURCE_ROOT = join(__dirname, '../../..');
const BUILD_ROOT = join(SOURCE_ROOT, '../dist');

/**
 * The JavaScript a worker thread can load for a module under the source root (a worker runs plain JS
 * only): the file itself or its compiled copy beside it when running from the build; when running from
 * TypeScript sources, the build's copy.
 */
function compiled(file: string): string | undefined {
  const script = file.replace(/\.ts$/, '.js');
  return [script, join(BUILD_ROOT, relative(SOURCE_ROOT, script))].find((path) => existsSync(path));
}

const CLOSE_TIMEOUT_MS = 10_000;

/**
 * How many calls may wait for the store worker. An API request starts only while fewer than `request`
 * wait (`admitsRequest`, checked before the route runs, so a refused request has read and written
 * nothing); any call, of any caller, is refused beyond `any`. HTTP load therefore fills the queue to
 * about `request` and stops, and the room above it stays for the work that must not starve behind it:
 * lease renewal (an account whose lease lapses closes its socket), session writes, the outbox, receipts
 * and inbound. Internal callers are not told apart per call: that needs an AsyncLocalStorage, whose
 * promise hooks cost the send path ~14 % on Node 20 (docs/BENCHMARKS.md).
 */
export interface StoreQueueLimits {
  request: number;
  any: number;
}

export function storeQueueLimits(limit: number): StoreQueueLimits {
  return { request: limit, any: 4 * limit };
}

interface Waiting {
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * The main thread's side of the sqlite store: repositories whose every call is posted to the store
 * worker (store-worker.ts), which owns the connection. Calls made in one turn of the event loop travel
 * as one message, so they join one group commit there; each promise settles when its own call has.
 */
export class SqliteStoreWorker {
  private nextId = 1;
  private readonly waiting = new Map<number, Waiting>();
  private outgoing: StoreCall[] = [];
  private flushScheduled = false;
  /** Set once the worker can no longer answer: every call from then on fails with it. */
  private failure: Error | undefined;
  private closed: Promise<void> | undefined;

  private constructor(
    private readonly worker: Worker,
    private readonly served: Record<string, string>,
    private readonly adapters: StoreWorkerAdapters,
    readonly limits: StoreQueueLimits,
    onLost: (error: Error) => void,
  ) {
    worker.on('message', (message: FromWorker) => {
      if ('answers' in message) for (const answer of message.answers) this.settle(answer);
    });
    worker.on('error', (error) => this.fail(error));
    worker.on('exit', (code) => {
      if (this.closed) return;
      this.fail(new Error(`the sqlite store worker exited (code ${code})`));
      onLost(this.failure!);
    });
  }

  /**
   * Starts the worker on `path`, serving `adapters`, and resolves once it has opened the file and run the
   * migrations. `onLost` hears of a worker that ended without being closed (after every waiting call has failed).
   */
  static async start(
    adapters: StoreWorkerAdapters,
    path: string,
    onLost: (error: Error) => void = () => undefined,
    limits = storeQueueLimits(1000),
  ): Promise<SqliteStoreWorker> {
    const script = compiled(join(__dirname, 'store-worker.js'));
    const adaptersModule = compiled(adapters.module);
    if (!script || !adaptersModule) throw new Error(`the sqlite store worker or ${adapters.module} is not built: run \`npm run build\``);
    // Its group commit never sees more than `any` writes: no more calls than that are ever in flight.
    const workerData: StoreWorkerData = { path, writeQueueLimit: limits.any, adaptersModule };
    const worker = new Worker(script, { workerData });
    const served = await new Promise<Record<string, string>>((resolve, reject) => {
      // Removed one by one, not with removeAllListeners: the Worker runs its message port through listeners of its own.
      const stopListening = () => worker.off('message', onMessage).off('error', onError).off('exit', onExit);
      const onMessage = (message: FromWorker) => {
        stopListening();
        if ('ready' in message) resolve(message.ready);
        else reject(new Error('the sqlite store worker spoke before it was ready'));
      };
      const onError = (error: Error) => {
        stopListening();
        reject(error);
      };
      const onExit = (code: number) => {
        stopListening();
        reject(new Error(`the sqlite store worker exited (code ${code}) before it was ready`));
      };
      worker.on('message', onMessage).on('error', onError).on('exit', onExit);
    });
    return new SqliteStoreWorker(worker, served, adapters, limits, onLost);
  }

  /**
   * `port` served by the worker: an object of `port`'s class whose methods (those `adapter` declares)
   * post their call. The worker must run that same adapter for that port.
   */
  adapter<T extends object>(port: abstract new (...args: never[]) => T, adapter: abstract new (...args: never[]) => T): T {
    if (this.served[port.name] !== adapter.name) {
      throw new Error(`the sqlite store worker serves ${this.served[port.name] ?? 'nothing'} for ${port.name}, not ${adapter.name} (SERVED_ADAPTERS in ${this.adapters.module})`);
    }
    const remote = Object.create(port.prototype) as Record<string, unknown>;
    for (const method of methodsOf(adapter.prototype, port.prototype)) {
      remote[method] = (...args: unknown[]) => this.call(port.name, method, args);
    }
    return remote as T;
  }

  /** Whether an API request may start now (see StoreQueueLimits). */
  admitsRequest(): boolean {
    return this.waiting.size < this.limits.request;
  }

  /** Readiness: the worker answers, and its connection reads. */
  async ping(): Promise<void> {
    await this.call(STORE_PROBE, 'ping', []);
  }

  /** Lets every call already made finish, then closes the connection and ends the thread. */
  close(): Promise<void> {
    this.closed ??= this.closeWorker();
    return this.closed;
  }

  private call(port: string, method: string, args: unknown[]): Promise<unknown> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.waiting.size >= this.limits.any) return Promise.reject(new StoreQueueFull(this.limits.any));
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      this.waiting.set(id, { resolve, reject });
      this.outgoing.push([id, port, method, args]);
      if (this.flushScheduled) return;
      this.flushScheduled = true;
      // setImmediate runs after the I/O phase, so the calls of every request parsed in this turn go together.
      setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    this.flushScheduled = false;
    const calls = this.outgoing;
    this.outgoing = [];
    try {
      this.worker.postMessage({ calls });
    } catch (error) {
      // An argument postMessage cannot copy (a function, a socket) is a bug at the caller: fail those calls.
      for (const [id] of calls) this.settle([id, false, { className: 'Error', message: `store call not sent: ${(error as Error).message}`, fields: {} }]);
    }
  }

  private settle([id, ok, payload]: StoreAnswer): void {
    const waiting = this.waiting.get(id);
    if (!waiting) return;
    this.waiting.delete(id);
    if (ok) waiting.resolve(payload);
    else waiting.reject(fromRemoteError(payload, this.adapters.errors));
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const waiting of this.waiting.values()) waiting.reject(this.failure);
    this.waiting.clear();
  }

  private async closeWorker(): Promise<void> {
    if (this.failure) return;
    if (this.flushScheduled) this.flush();
    const done = new Promise<void>((resolve) => {
      this.worker.on('message', (message: FromWorker) => 'closed' in message && resolve());
      this.worker.once('exit', () => resolve());
    });
    this.worker.postMessage({ close: true });
    const timer = setTimeout(() => void this.worker.terminate(), CLOSE_TIMEOUT_MS);
    await done;
    clearTimeout(timer);
    this.failure ??= new Error('the sqlite store is closed');
    await this.worker.terminate();
  }
}

/** The methods an adapter class defines above its port (the calls the worker can answer). */
function methodsOf(prototype: object, stopAt: object): string[] {
  const names = new Set<string>();
  for (let level = prototype; level && level !== stopAt && level !== Object.prototype; level = Object.getPrototypeOf(level)) {
    for (const name of Object.getOwnPropertyNames(level)) {
      if (name !== 'constructor' && typeof Object.getOwnPropertyDescriptor(level, name)?.value === 'function') names.add(name);
    }
  }
  return [...names];
}
