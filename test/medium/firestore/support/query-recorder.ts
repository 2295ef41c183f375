import { Query, Transaction, type AggregateQuery, type AggregateSpec } from 'firebase-admin/firestore';
import { FilterOp, QueryShape } from './index-need';

export interface RecordedQuery {
  shape: QueryShape;
  /** `src/...:line` of the code that ran it: the adapter, not the test. */
  issuer: string;
}

export interface QueryRecording {
  queries: RecordedQuery[];
  stop(): void;
}

/** What `Query.toStructuredQuery()` (public in the JS, absent from the typings) returns, as far as indexes care. */
interface FieldRef {
  fieldPath: string;
}
interface FilterProto {
  fieldFilter?: { field: FieldRef; op: FilterOp };
  unaryFilter?: { field: FieldRef; op: FilterOp };
  compositeFilter?: { op: 'AND' | 'OR'; filters: FilterProto[] };
}
interface StructuredQuery {
  from: Array<{ collectionId?: string; allDescendants?: boolean }>;
  where?: FilterProto;
  orderBy?: Array<{ field: FieldRef; direction: 'ASCENDING' | 'DESCENDING' }>;
}

/**
 * Records every query run through firebase-admin in this process (`get()` on a query or a count, and a
 * transaction's `get(query)`) whose caller is under `src/`: what the adapters ask of Firestore, whichever
 * test made them ask. Patches the shared prototypes, so every client in the process is seen; `stop()`
 * puts them back.
 */
export function recordQueries(): QueryRecording {
  const queries: RecordedQuery[] = [];
  const record = (query: Query) => {
    const issuer = adapterFrame(new Error().stack ?? '');
    if (issuer) queries.push({ shape: shapeOf(query), issuer });
  };
  const restore: Array<() => void> = [];
  restore.push(
    before(Query.prototype, 'get', function (this: Query) {
      record(this);
    }),
    before(Transaction.prototype, 'get', (target: unknown) => {
      if (target instanceof Query) record(target);
      else if (isAggregate(target)) record(target.query);
    }),
  );
  // firebase-admin does not export AggregateQuery: its prototype is reached through the first one made.
  let countsSeen = false;
  const aggregate = Query.prototype.aggregate;
  Query.prototype.aggregate = function (this: Query, ...args: Parameters<typeof aggregate>) {
    const made = aggregate.apply(this, args);
    if (!countsSeen) {
      countsSeen = true;
      restore.push(
        before(Object.getPrototypeOf(made) as object, 'get', function (this: AggregateQuery<AggregateSpec>) {
          record(this.query);
        }),
      );
    }
    return made;
  } as typeof aggregate;
  restore.push(() => {
    Query.prototype.aggregate = aggregate;
  });
  return { queries, stop: () => restore.reverse().forEach((undo) => undo()) };
}

function isAggregate(target: unknown): target is AggregateQuery<AggregateSpec> {
  return typeof target === 'object' && target !== null && (target as { query?: unknown }).query instanceof Query;
}

export function shapeOf(query: Query): QueryShape {
  const proto = (query as unknown as { toStructuredQuery(): StructuredQuery }).toStructuredQuery();
  const [from] = proto.from;
  return {
    collectionGroup: from.collectionId ?? '',
    queryScope: from.allDescendants ? 'COLLECTION_GROUP' : 'COLLECTION',
    filters: proto.where ? conjuncts(proto.where) : [],
    orderBy: (proto.orderBy ?? []).map((o) => ({ fieldPath: unquote(o.field.fieldPath), direction: o.direction })),
  };
}

/** The AND-ed filters. An OR needs an index per disjunct, which the rules here do not model: say so loudly. */
function conjuncts(filter: FilterProto): QueryShape['filters'] {
  if (filter.compositeFilter) {
    if (filter.compositeFilter.op !== 'AND') throw new Error('an OR query: the index rules in index-need.ts do not cover it yet');
    return filter.compositeFilter.filters.flatMap(conjuncts);
  }
  const single = filter.fieldFilter ?? filter.unaryFilter!;
  return [{ fieldPath: unquote(single.field.fieldPath), op: single.op }];
}

/** Field paths with characters outside [a-zA-Z0-9_] travel back-quoted. */
function unquote(fieldPath: string): string {
  return fieldPath.replace(/`/g, '');
}

/** The first stack frame in the app's own code (its source under vitest, or dist/ when compiled). */
function adapterFrame(stack: string): string | undefined {
  const frame = stack.split('\n').find((line) => /[/\\](src|dist)[/\\]/.test(line) && !line.includes('node_modules'));
  const location = frame?.match(/((?:src|dist)[/\\][^:)]+:\d+)/);
  return location?.[1];
}

/** Calls `observe` before each call of `target[method]`; returns the undo. */
function before<T extends object>(target: T, method: string, observe: (this: never, ...args: never[]) => void): () => void {
  const original = (target as Record<string, unknown>)[method] as (...args: unknown[]) => unknown;
  (target as Record<string, unknown>)[method] = function (this: unknown, ...args: unknown[]) {
    (observe as (...a: unknown[]) => void).apply(this, args);
    return original.apply(this, args);
  };
  return () => {
    (target as Record<string, unknown>)[method] = original;
  };
}
