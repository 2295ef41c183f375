import { isDeepStrictEqual } from 'node:util';

/**
 * The verification step: is what the store gave back the record the migration meant to write? Fields
 * absent and fields present as `undefined` are the same (each adapter omits unset optional fields its
 * own way); `ignoring` names fields a copy made by an earlier run may hold differently (a thread's seq).
 */
export function sameFields(written: object, intended: object, ignoring: readonly string[] = []): boolean {
  return isDeepStrictEqual(comparable(written, ignoring), comparable(intended, ignoring));
}

/** The fields that differ, for the report of a copy that did not read back equal. */
export function differingFields(written: object, intended: object): string[] {
  const a = comparable(written, []);
  const b = comparable(intended, []);
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((field) => !isDeepStrictEqual(a[field], b[field])).sort();
}

function comparable(record: object, ignoring: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([field, value]) => value !== undefined && !ignoring.includes(field)));
}
