/**
 * Which index a Firestore query needs: Google's rules, written down once so the index test can apply
 * them to every query the adapters issue (the emulator serves any query without an index, production
 * refuses it with FAILED_PRECONDITION: "The query requires an index").
 *
 * - Ordering by the document id (`__name__`) is free: every index ends with it, in the direction of
 *   its last field, and a query on ids alone reads the documents table.
 * - Equality filters only (`==`, `in`, `array-contains`, null): each field's single-field index,
 *   merged (zig-zag join); no composite.
 * - One ordered field (orderBy or inequality) and no equality: that field's single-field index.
 * - Anything else (equality plus an ordered field, or several ordered fields): a composite index,
 *   the equality fields in any order first, then the ordered fields exactly.
 * - Inequality fields are ordered implicitly, after any explicit orderBy, in lexicographic order.
 * - Single-field indexes exist automatically for a collection, never for a collection group: a
 *   collection-group query on a field needs a `fieldOverrides` entry with queryScope COLLECTION_GROUP.
 */

export type FilterOp =
  | 'EQUAL'
  | 'NOT_EQUAL'
  | 'LESS_THAN'
  | 'LESS_THAN_OR_EQUAL'
  | 'GREATER_THAN'
  | 'GREATER_THAN_OR_EQUAL'
  | 'ARRAY_CONTAINS'
  | 'ARRAY_CONTAINS_ANY'
  | 'IN'
  | 'NOT_IN'
  | 'IS_NULL'
  | 'IS_NAN'
  | 'IS_NOT_NULL'
  | 'IS_NOT_NAN';
export type Direction = 'ASCENDING' | 'DESCENDING';
export type QueryScope = 'COLLECTION' | 'COLLECTION_GROUP';

/** A query as the index rules see it: where it runs, which fields it filters and orders by, never the values. */
export interface QueryShape {
  collectionGroup: string;
  queryScope: QueryScope;
  filters: Array<{ fieldPath: string; op: FilterOp }>;
  orderBy: Array<{ fieldPath: string; direction: Direction }>;
}

/** How a query reads one field of an index: in an order, by array membership, or fixed by equality (either order serves). */
export type FieldMode = Direction | 'CONTAINS' | 'EQUALITY';

export interface IndexedField {
  fieldPath: string;
  mode: FieldMode;
}

export type IndexNeed =
  | { kind: 'none' }
  | { kind: 'single-field'; collectionGroup: string; queryScope: QueryScope; fields: IndexedField[] }
  | { kind: 'composite'; collectionGroup: string; queryScope: QueryScope; equalities: IndexedField[]; sort: IndexedField[] };

export const DOCUMENT_ID = '__name__';

const EQUALITY_OPS: ReadonlySet<FilterOp> = new Set(['EQUAL', 'IN', 'IS_NULL', 'IS_NAN', 'ARRAY_CONTAINS', 'ARRAY_CONTAINS_ANY']);
const ARRAY_OPS: ReadonlySet<FilterOp> = new Set(['ARRAY_CONTAINS', 'ARRAY_CONTAINS_ANY']);

export function indexNeedOf(query: QueryShape): IndexNeed {
  const onFields = query.filters.filter((f) => f.fieldPath !== DOCUMENT_ID);
  const equalities = uniqueFields(
    onFields.filter((f) => EQUALITY_OPS.has(f.op)).map((f) => ({ fieldPath: f.fieldPath, mode: ARRAY_OPS.has(f.op) ? 'CONTAINS' : 'EQUALITY' })),
  );
  const fixed = new Set(equalities.filter((f) => f.mode === 'EQUALITY').map((f) => f.fieldPath));
  // An orderBy on a field fixed by equality orders nothing.
  const explicit = query.orderBy.filter((o) => !fixed.has(o.fieldPath));
  const explicitFields = explicit.filter((o) => o.fieldPath !== DOCUMENT_ID).map((o) => ({ fieldPath: o.fieldPath, mode: o.direction as FieldMode }));
  const ordered = new Set(explicitFields.map((f) => f.fieldPath));
  const implicit = [...new Set(onFields.filter((f) => !EQUALITY_OPS.has(f.op) && !ordered.has(f.fieldPath)).map((f) => f.fieldPath))]
    .sort()
    .map((fieldPath) => ({ fieldPath, mode: 'ASCENDING' as FieldMode }));
  const sort = [...explicitFields, ...implicit];
  const byId = explicit.find((o) => o.fieldPath === DOCUMENT_ID);
  // The id closes every index in the direction of its last field; only the other direction must be declared.
  if (byId && sort.length > 0 && sort[sort.length - 1].mode !== byId.direction) sort.push({ fieldPath: DOCUMENT_ID, mode: byId.direction });

  const where = { collectionGroup: query.collectionGroup, queryScope: query.queryScope };
  if (sort.length === 0) return equalities.length === 0 ? { kind: 'none' } : { kind: 'single-field', ...where, fields: equalities };
  if (equalities.length === 0 && sort.length === 1) return { kind: 'single-field', ...where, fields: sort };
  return { kind: 'composite', ...where, equalities, sort };
}

function uniqueFields(fields: IndexedField[]): IndexedField[] {
  const seen = new Map<string, IndexedField>();
  for (const field of fields) seen.set(`${field.fieldPath}|${field.mode}`, field);
  return [...seen.values()];
}
