import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { indexFileProblems } from './support/index-file-format';

const file = JSON.parse(readFileSync('firestore.indexes.json', 'utf8'));
const composite = (fields: unknown[], extra: object = {}) => ({ collectionGroup: 'outbox', queryScope: 'COLLECTION', fields, ...extra });
const asc = (fieldPath: string) => ({ fieldPath, order: 'ASCENDING' });
const desc = (fieldPath: string) => ({ fieldPath, order: 'DESCENDING' });

describe('firestore.indexes.json, as `firebase deploy` takes it', () => {
  it('has the shape deploy accepts, and no index or override twice', () => {
    expect(indexFileProblems(file)).toEqual([]);
  });

  it('declares the outbox TTL on expireAt, unindexed (a rising timestamp index is a write hotspot)', () => {
    expect(file.fieldOverrides).toContainEqual({ collectionGroup: 'outbox', fieldPath: 'expireAt', ttl: true, indexes: [] });
  });

  // The checker itself: each mistake below is one deploy (or the index API) refuses, or would do twice.
  it.each([
    ['no indexes array', { fieldOverrides: [] }, '`indexes` must be an array'],
    ['a scope that does not exist', { indexes: [composite([asc('a'), asc('b')], { queryScope: 'DATABASE' })] }, 'indexes[0].queryScope must be one of COLLECTION, COLLECTION_GROUP'],
    ['a field with neither order nor arrayConfig', { indexes: [composite([asc('a'), { fieldPath: 'b' }])] }, 'indexes[0].fields[1] needs exactly one of order and arrayConfig'],
    ['a field with both', { indexes: [composite([asc('a'), { fieldPath: 'b', order: 'ASCENDING', arrayConfig: 'CONTAINS' }])] }, 'indexes[0].fields[1] needs exactly one of order and arrayConfig'],
    ['a lower-case order', { indexes: [composite([asc('a'), { fieldPath: 'b', order: 'asc' }])] }, 'indexes[0].fields[1].order must be one of ASCENDING, DESCENDING'],
    ['a composite of one field', { indexes: [composite([asc('a'), asc('__name__')])] }, 'indexes[0]: a composite index needs two fields or more (one field is a fieldOverride)'],
    ['the document id before the end', { indexes: [composite([asc('__name__'), asc('a')])] }, 'indexes[0].fields[0]: __name__ may only be the last field'],
    ['two array fields', { indexes: [composite([{ fieldPath: 'a', arrayConfig: 'CONTAINS' }, { fieldPath: 'b', arrayConfig: 'CONTAINS' }])] }, 'indexes[0]: an index holds at most one array field'],
    ['a misspelt key', { indexes: [], fieldOverrides: [{ collectionGroup: 'outbox', fieldPath: 'expireAt', tll: true, indexes: [] }] }, 'fieldOverrides[0] has an unknown key "tll"'],
    ['an override without indexes', { indexes: [], fieldOverrides: [{ collectionGroup: 'outbox', fieldPath: 'expireAt', ttl: true }] }, 'fieldOverrides[0].indexes must be an array (empty to exempt the field)'],
    ['a ttl that is not a boolean', { indexes: [], fieldOverrides: [{ collectionGroup: 'outbox', fieldPath: 'expireAt', ttl: 'yes', indexes: [] }] }, 'fieldOverrides[0].ttl must be a boolean'],
    ['a collection path for a collection group', { indexes: [composite([asc('a'), asc('b')], { collectionGroup: 'threads/x/messages' })] }, 'indexes[0].collectionGroup must be a collection id (no "/")'],
    [
      'the same index twice, once with its implicit id written out',
      { indexes: [composite([asc('a'), desc('b')]), composite([asc('a'), desc('b'), desc('__name__')])] },
      'duplicate index: ["outbox","COLLECTION",[{"fieldPath":"a","order":"ASCENDING"},{"fieldPath":"b","order":"DESCENDING"}]]',
    ],
    ['the same field overridden twice', { indexes: [], fieldOverrides: [{ collectionGroup: 'outbox', fieldPath: 'text', indexes: [] }, { collectionGroup: 'outbox', fieldPath: 'text', indexes: [] }] }, 'duplicate field override: outbox.text'],
    [
      'two TTL fields in one collection group',
      { indexes: [], fieldOverrides: [{ collectionGroup: 'outbox', fieldPath: 'a', ttl: true, indexes: [] }, { collectionGroup: 'outbox', fieldPath: 'b', ttl: true, indexes: [] }] },
      'duplicate TTL field in collection group: outbox',
    ],
  ])('refuses %s', (_name, candidate, problem) => {
    expect(indexFileProblems(candidate)).toContain(problem);
  });
});
