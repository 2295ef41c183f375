import { DOCUMENT_ID, Direction, IndexNeed, IndexedField, QueryScope } from './index-need';

/** `firestore.indexes.json`, in the format `firebase deploy --only firestore:indexes` takes. */
export interface IndexFile {
  indexes: CompositeIndex[];
  fieldOverrides?: FieldOverride[];
}

export interface CompositeIndex {
  collectionGroup: string;
  queryScope: QueryScope;
  fields: Array<{ fieldPath: string; order?: Direction; arrayConfig?: 'CONTAINS' }>;
}

export interface FieldOverride {
  collectionGroup: string;
  fieldPath: string;
  ttl?: boolean;
  /** Replaces the field's automatic indexes entirely: `[]` leaves it unindexed. */
  indexes: Array<{ order?: Direction; arrayConfig?: 'CONTAINS'; queryScope?: QueryScope }>;
}

/**
 * What `file` lacks for `need`, said as the entry to add; undefined when the need is served.
 * A composite need is served only by one declared index holding exactly its equality fields then its
 * sort: Firestore can sometimes merge composites, but relying on that is a bet this test refuses.
 */
export function missingIndex(need: IndexNeed, file: IndexFile): string | undefined {
  if (need.kind === 'none') return undefined;
  if (need.kind === 'single-field') {
    const missing = need.fields.filter((field) => !hasSingleField(file, need.collectionGroup, need.queryScope, field));
    if (missing.length === 0) return undefined;
    return missing.map((f) => `fieldOverrides: ${need.collectionGroup}.${f.fieldPath} needs a ${need.queryScope} index (${f.mode})`).join('; ');
  }
  const served = file.indexes.some(
    (index) => index.collectionGroup === need.collectionGroup && index.queryScope === need.queryScope && servesComposite(index, need.equalities, need.sort),
  );
  if (served) return undefined;
  const fields = [...need.equalities, ...need.sort].map((f) => `${f.fieldPath} ${f.mode === 'EQUALITY' ? 'ASCENDING' : f.mode}`);
  return `indexes: ${need.collectionGroup} ${need.queryScope} (${fields.join(', ')})`;
}

/** An index's fields without the trailing `__name__` it would have anyway (same direction as the field before). */
export function withoutImplicitId(fields: CompositeIndex['fields']): CompositeIndex['fields'] {
  const last = fields[fields.length - 1];
  if (fields.length >= 2 && last.fieldPath === DOCUMENT_ID && last.order === fields[fields.length - 2].order) return fields.slice(0, -1);
  return fields;
}

function servesComposite(index: CompositeIndex, equalities: IndexedField[], sort: IndexedField[]): boolean {
  const fields = withoutImplicitId(index.fields);
  if (fields.length !== equalities.length + sort.length) return false;
  const head = fields.slice(0, equalities.length);
  const tail = fields.slice(equalities.length);
  const sortMatches = tail.every((field, i) => field.fieldPath === sort[i].fieldPath && field.order === sort[i].mode);
  const headMatches = equalities.every((eq) => head.some((field) => field.fieldPath === eq.fieldPath && modeMatches(field, eq)));
  return sortMatches && headMatches;
}

function modeMatches(field: { order?: Direction; arrayConfig?: 'CONTAINS' }, need: IndexedField): boolean {
  if (need.mode === 'CONTAINS') return field.arrayConfig === 'CONTAINS';
  if (need.mode === 'EQUALITY') return field.order !== undefined;
  return field.order === need.mode;
}

/**
 * A field's own override (or its nearest enclosing map field's: exempting `answer` exempts `answer.x`)
 * replaces its automatic indexes; without one, a collection has all three, a collection group none.
 */
function hasSingleField(file: IndexFile, collectionGroup: string, scope: QueryScope, field: IndexedField): boolean {
  const override = (file.fieldOverrides ?? [])
    .filter((o) => o.collectionGroup === collectionGroup && (field.fieldPath === o.fieldPath || field.fieldPath.startsWith(`${o.fieldPath}.`)))
    .sort((a, b) => b.fieldPath.length - a.fieldPath.length)[0];
  if (!override) return scope === 'COLLECTION';
  return override.indexes.some((index) => (index.queryScope ?? 'COLLECTION') === scope && modeMatches(index, field));
}
