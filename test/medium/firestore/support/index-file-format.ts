import { DOCUMENT_ID } from './index-need';
import { CompositeIndex, withoutImplicitId } from './index-coverage';

const SCOPES = ['COLLECTION', 'COLLECTION_GROUP'];
const ORDERS = ['ASCENDING', 'DESCENDING'];

/**
 * What `firebase deploy --only firestore:indexes` would refuse in an indexes file, or what the Firestore
 * admin API would refuse when creating its indexes: firebase-tools' own checks (src/firestore/api.ts,
 * validateSpec) plus the API's (a composite of one field, an id field not last, two array fields),
 * duplicates, which deploy would try to create twice, and unknown keys, which deploy ignores silently
 * (a misspelt `ttl` would leave the outbox undeleted). Empty when the file is deployable.
 */
export function indexFileProblems(file: unknown): string[] {
  const problems: string[] = [];
  if (!isObject(file)) return ['the file is not a JSON object'];
  unknownKeys(file, ['indexes', 'fieldOverrides'], 'the file', problems);
  if (!Array.isArray(file.indexes)) return [...problems, '`indexes` must be an array'];
  file.indexes.forEach((index, i) => compositeProblems(index, `indexes[${i}]`, problems));
  if (file.fieldOverrides !== undefined) {
    if (!Array.isArray(file.fieldOverrides)) return [...problems, '`fieldOverrides` must be an array'];
    file.fieldOverrides.forEach((override, i) => overrideProblems(override, `fieldOverrides[${i}]`, problems));
  }
  if (problems.length > 0) return problems;
  duplicates((file.indexes as CompositeIndex[]).map((index) => JSON.stringify([index.collectionGroup, index.queryScope, withoutImplicitId(index.fields)])), 'index', problems);
  const overrides = (file.fieldOverrides ?? []) as Array<{ collectionGroup: string; fieldPath: string; ttl?: boolean }>;
  duplicates(overrides.map((o) => `${o.collectionGroup}.${o.fieldPath}`), 'field override', problems);
  duplicates(overrides.filter((o) => o.ttl).map((o) => o.collectionGroup), 'TTL field in collection group', problems);
  return problems;
}

function compositeProblems(index: unknown, at: string, problems: string[]): void {
  if (!isObject(index)) return void problems.push(`${at} is not an object`);
  unknownKeys(index, ['collectionGroup', 'queryScope', 'fields'], at, problems);
  collectionGroupProblems(index.collectionGroup, at, problems);
  if (!SCOPES.includes(index.queryScope as string)) problems.push(`${at}.queryScope must be one of ${SCOPES.join(', ')}`);
  if (!Array.isArray(index.fields)) return void problems.push(`${at}.fields must be an array`);
  index.fields.forEach((field, i) => {
    const where = `${at}.fields[${i}]`;
    if (!isObject(field)) return void problems.push(`${where} is not an object`);
    unknownKeys(field, ['fieldPath', 'order', 'arrayConfig'], where, problems);
    if (typeof field.fieldPath !== 'string' || field.fieldPath === '') problems.push(`${where}.fieldPath must be a non-empty string`);
    modeProblems(field, where, problems);
    if (field.fieldPath === DOCUMENT_ID && i !== index.fields!.length - 1) problems.push(`${where}: ${DOCUMENT_ID} may only be the last field`);
  });
  if (problems.some((p) => p.startsWith(at))) return;
  const fields = index.fields as CompositeIndex['fields'];
  if (withoutImplicitId(fields).length < 2) problems.push(`${at}: a composite index needs two fields or more (one field is a fieldOverride)`);
  duplicates(fields.map((f) => f.fieldPath), `field in ${at}`, problems);
  if (fields.filter((f) => f.arrayConfig).length > 1) problems.push(`${at}: an index holds at most one array field`);
}

function overrideProblems(override: unknown, at: string, problems: string[]): void {
  if (!isObject(override)) return void problems.push(`${at} is not an object`);
  unknownKeys(override, ['collectionGroup', 'fieldPath', 'ttl', 'indexes'], at, problems);
  collectionGroupProblems(override.collectionGroup, at, problems);
  if (typeof override.fieldPath !== 'string' || override.fieldPath === '') problems.push(`${at}.fieldPath must be a non-empty string`);
  if (override.ttl !== undefined && typeof override.ttl !== 'boolean') problems.push(`${at}.ttl must be a boolean`);
  if (!Array.isArray(override.indexes)) return void problems.push(`${at}.indexes must be an array (empty to exempt the field)`);
  override.indexes.forEach((index, i) => {
    const where = `${at}.indexes[${i}]`;
    if (!isObject(index)) return void problems.push(`${where} is not an object`);
    unknownKeys(index, ['order', 'arrayConfig', 'queryScope'], where, problems);
    modeProblems(index, where, problems);
    if (index.queryScope !== undefined && !SCOPES.includes(index.queryScope as string)) problems.push(`${where}.queryScope must be one of ${SCOPES.join(', ')}`);
  });
  if (problems.some((p) => p.startsWith(at))) return;
  const modes = (override.indexes as Array<Record<string, string>>).map((i) => `${i.order ?? i.arrayConfig} ${i.queryScope ?? 'COLLECTION'}`);
  duplicates(modes, `index in ${at}`, problems);
}

/** Exactly one of `order` (ASCENDING|DESCENDING) and `arrayConfig` (CONTAINS). */
function modeProblems(field: Record<string, unknown>, at: string, problems: string[]): void {
  const hasOrder = field.order !== undefined;
  const hasArray = field.arrayConfig !== undefined;
  if (hasOrder === hasArray) problems.push(`${at} needs exactly one of order and arrayConfig`);
  if (hasOrder && !ORDERS.includes(field.order as string)) problems.push(`${at}.order must be one of ${ORDERS.join(', ')}`);
  if (hasArray && field.arrayConfig !== 'CONTAINS') problems.push(`${at}.arrayConfig must be CONTAINS`);
}

function collectionGroupProblems(value: unknown, at: string, problems: string[]): void {
  if (typeof value !== 'string' || !/^[^/]+$/.test(value)) problems.push(`${at}.collectionGroup must be a collection id (no "/")`);
}

function unknownKeys(value: Record<string, unknown>, known: string[], at: string, problems: string[]): void {
  for (const key of Object.keys(value)) if (!known.includes(key)) problems.push(`${at} has an unknown key "${key}"`);
}

function duplicates(keys: string[], what: string, problems: string[]): void {
  const seen = new Set<string>();
  for (const key of keys) {
    if (seen.has(key)) problems.push(`duplicate ${what}: ${key}`);
    seen.add(key);
  }
}

function isObject(value: unknown): value is Record<string, unknown> & { indexes?: unknown[]; fields?: unknown[]; fieldOverrides?: unknown } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
