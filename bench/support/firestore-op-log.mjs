// Counts what the firestore adapters ask of Firestore, per repository call: every RPC one client sends
// (Firestore.request / requestStream, the two funnels firebase-admin sends everything through) and the
// billable reads and writes in it. Repository methods run inside an AsyncLocalStorage context naming
// the call, so an RPC is charged to the call that made it, whatever else runs at the same time.
import { AsyncLocalStorage } from 'node:async_hooks';

const OUTSIDE = { label: '(outside any repository call)' };

export class FirestoreOpLog {
  calls = [];
  #context = new AsyncLocalStorage();
  #service = new AsyncLocalStorage();
  #inFlight = 0;
  #lastSettled = Date.now();

  /** Wraps every method of each `{ name: Class }` so its calls are logged, with a short outcome. */
  recordCalls(repositories) {
    for (const [name, cls] of Object.entries(repositories)) {
      wrapMethods(cls, (method, run) => {
        const call = { label: `${name}.${method}`, via: this.#service.getStore(), ops: [], outcome: undefined };
        const result = this.#context.run(call, run);
        // A synchronous helper (a collection reference, say) is no store call: leave it out.
        if (typeof result?.then !== 'function') return result;
        this.calls.push(call);
        this.#inFlight++;
        const settle = (outcome) => {
          call.outcome = outcome;
          this.#inFlight--;
          this.#lastSettled = Date.now();
        };
        return result.then(
          (value) => {
            settle(describeOutcome(value));
            return value;
          },
          (error) => {
            settle(`threw ${error?.constructor?.name ?? 'an error'}`);
            throw error;
          },
        );
      });
    }
  }

  /**
   * Names the service call each repository call runs under (`via`: `{ label, id }`), so the lookups a
   * service makes are charged with the store call they serve. Services only: Nest reads a controller's
   * routes from its methods, which must stay as they are.
   */
  recordServices(services) {
    let id = 0;
    for (const [name, cls] of Object.entries(services)) {
      wrapMethods(cls, (method, run) => this.#service.run({ label: `${name}.${method}`, id: ++id }, run));
    }
  }

  /** Counts the RPCs of one client (`store.db`), charging each to the repository call it runs in. */
  countOperations(db) {
    const request = db.request.bind(db);
    const requestStream = db.requestStream.bind(db);
    const current = () => this.#context.getStore() ?? this.#outside();
    db.request = (method, body, ...rest) => {
      // Unary RPCs: commit (its writes are billed), beginTransaction and rollback (not billed).
      current().ops.push({ method, reads: 0, writes: body?.writes?.length ?? 0, transactional: Boolean(body?.transaction) });
      return request(method, body, ...rest);
    };
    db.requestStream = async (method, bidirectional, body, ...rest) => {
      const op = { method, reads: 0, writes: 0, results: 0, transactional: Boolean(body?.transaction || body?.newTransaction) };
      current().ops.push(op);
      const stream = await requestStream(method, bidirectional, body, ...rest);
      // Every consumer reads through 'data' events (read() emits them too), so this sees each response.
      const emit = stream.emit;
      stream.emit = function (event, chunk, ...more) {
        if (event === 'data') countResponse(op, chunk);
        return emit.call(this, event, chunk, ...more);
      };
      return stream;
    };
  }

  /** Resolves once no repository call has been in flight for `quietMs`. */
  async settled(quietMs = 400, timeoutMs = 20_000) {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.#inFlight === 0 && Date.now() - this.#lastSettled >= quietMs) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`repository calls still in flight after ${timeoutMs} ms`);
  }

  /** The calls logged since `mark` (a length of `calls`), with their totals. */
  since(mark) {
    return this.calls.slice(mark).map((call) => ({ ...call, ...totals(call.ops) }));
  }

  #outside() {
    const call = { ...OUTSIDE, ops: [] };
    this.calls.push(call);
    return call;
  }
}

/** Replaces each method of `cls.prototype` by one that hands `around` its name and a thunk running the original. */
function wrapMethods(cls, around) {
  for (const method of Object.getOwnPropertyNames(cls.prototype)) {
    const original = Object.getOwnPropertyDescriptor(cls.prototype, method).value;
    if (method === 'constructor' || typeof original !== 'function') continue;
    cls.prototype[method] = function (...args) {
      return around(method, () => original.apply(this, args));
    };
  }
}

/** Counts what a response carries: a document found or missing, a document a query returned, a count. */
function countResponse(op, chunk) {
  if (op.method === 'batchGetDocuments' && (chunk.found || chunk.missing)) op.results++;
  if (op.method === 'runQuery' && chunk.document) op.results++;
  if (op.method === 'runAggregationQuery' && chunk.result) {
    const count = Number(Object.values(chunk.result.aggregateFields ?? {})[0]?.integerValue ?? 0);
    op.results += count;
  }
}

/**
 * Billed reads, as Google counts them: a document returned by a lookup (a missing one counted too, as
 * the conservative reading of the price list) or by a query; a query returning nothing still costs one;
 * a count costs one per 1,000 index entries it matched, at least one. Billed writes: each write in a
 * commit. beginTransaction and rollback are round trips, never billed.
 */
function totals(ops) {
  let reads = 0;
  let writes = 0;
  for (const op of ops) {
    if (op.method === 'batchGetDocuments') reads += op.results;
    if (op.method === 'runQuery') reads += Math.max(1, op.results);
    if (op.method === 'runAggregationQuery') reads += Math.max(1, Math.ceil(op.results / 1000));
    writes += op.writes;
  }
  return { rpcs: ops.length, reads, writes, transaction: ops.some((op) => op.transactional) };
}

function describeOutcome(result) {
  if (Array.isArray(result)) return `${result.length} item${result.length === 1 ? '' : 's'}`;
  if (typeof result === 'string' || typeof result === 'boolean' || typeof result === 'number') return String(result);
  if (result && typeof result === 'object' && 'kind' in result) return result.kind;
  return result === undefined ? 'none' : 'found';
}
