import { describe, expect, it } from 'vitest';
import { IndexFile, missingIndex } from './support/index-coverage';
import { Direction, FilterOp, IndexNeed, QueryShape, QueryScope, indexNeedOf } from './support/index-need';

const OPS: Record<string, FilterOp> = {
  '==': 'EQUAL', '!=': 'NOT_EQUAL', '<': 'LESS_THAN', '<=': 'LESS_THAN_OR_EQUAL', '>': 'GREATER_THAN', '>=': 'GREATER_THAN_OR_EQUAL',
  in: 'IN', 'not-in': 'NOT_IN', 'array-contains': 'ARRAY_CONTAINS', 'is-null': 'IS_NULL', 'is-not-null': 'IS_NOT_NULL',
};

/** `query('outbox', 'accountId ==, seq >', 'seq desc')`: filters and orderBy as a reader writes them. */
function query(collectionGroup: string, filters = '', orderBy = '', queryScope: QueryScope = 'COLLECTION'): QueryShape {
  const parts = (text: string) => text.split(',').map((p) => p.trim()).filter(Boolean).map((p) => p.split(/\s+/));
  return {
    collectionGroup,
    queryScope,
    filters: parts(filters).map(([fieldPath, op]) => ({ fieldPath, op: OPS[op] })),
    orderBy: parts(orderBy).map(([fieldPath, dir]) => ({ fieldPath, direction: (dir === 'desc' ? 'DESCENDING' : 'ASCENDING') as Direction })),
  };
}

/** The need, said briefly: `none`, `single a=,b=` or `composite a=,b= | c asc`. */
function brief(need: IndexNeed): string {
  const mode = { EQUALITY: '=', CONTAINS: '[]', ASCENDING: ' asc', DESCENDING: ' desc' } as const;
  const list = (fields: Array<{ fieldPath: string; mode: keyof typeof mode }>) => fields.map((f) => `${f.fieldPath}${mode[f.mode]}`).join(',');
  if (need.kind === 'none') return 'none';
  if (need.kind === 'single-field') return `single ${list(need.fields)}`;
  return `composite ${list(need.equalities)} | ${list(need.sort)}`;
}

describe('which index a query needs (Firestore rules)', () => {
  it.each([
    ['no filter at all', query('outbox'), 'none'],
    ['ordering by document id only', query('accounts', '', '__name__ asc'), 'none'],
    ['a range on the document id', query('accounts', '__name__ >', '__name__ asc'), 'none'],
    ['one equality', query('outbox', 'status =='), 'single status='],
    ['equalities on several fields: single-field indexes merged', query('outbox', 'claimedBy ==, status =='), 'single claimedBy=,status='],
    ['`in` and null are equalities', query('accounts', 'status in, owner is-null', '__name__ asc'), 'single status=,owner='],
    ['equalities ordered by document id, either direction', query('outbox', 'accountId ==', '__name__ desc'), 'single accountId='],
    ['array-contains uses the array index', query('threads', 'tags array-contains'), 'single tags[]'],
    ['one orderBy, no filter', query('messages', '', 'createdAt desc, __name__ desc'), 'single createdAt desc'],
    ['one range, ordered implicitly', query('accounts', 'leaseUntil <='), 'single leaseUntil asc'],
    ['a range and its orderBy', query('accounts', 'leaseUntil <=', 'leaseUntil asc'), 'single leaseUntil asc'],
    ['`!=` is an inequality', query('outbox', 'status !='), 'single status asc'],
    ['equality then orderBy another field', query('threads', 'accountId ==', 'lastMessageAt desc, __name__ desc'), 'composite accountId= | lastMessageAt desc'],
    ['equality then a range on another field', query('outbox', 'accountId ==, status ==, leaseUntil <=', 'leaseUntil asc'), 'composite accountId=,status= | leaseUntil asc'],
    ['`in` with a range', query('outbox', 'threadId ==, status in, seq >', 'seq asc'), 'composite threadId=,status= | seq asc'],
    ['an orderBy on an equality field orders nothing', query('outbox', 'status ==', 'status asc'), 'single status='],
    ['document id against the last direction must be declared', query('threads', 'accountId ==', 'lastMessageAt desc, __name__ asc'), 'composite accountId= | lastMessageAt desc,__name__ asc'],
    ['inequalities on two fields, ordered lexicographically', query('outbox', 'seq >, attempts <'), 'composite  | attempts asc,seq asc'],
    ['explicit orderBy first, then inequality fields', query('outbox', 'seq >', 'createdAt desc'), 'composite  | createdAt desc,seq asc'],
    ['array-contains with an orderBy', query('threads', 'tags array-contains', 'lastMessageAt desc'), 'composite tags[] | lastMessageAt desc'],
  ])('%s', (_name, shape, expected) => {
    expect(brief(indexNeedOf(shape))).toBe(expected);
  });
});

const FILE: IndexFile = {
  indexes: [
    {
      collectionGroup: 'threads',
      queryScope: 'COLLECTION',
      fields: [
        { fieldPath: 'accountId', order: 'ASCENDING' },
        { fieldPath: 'lastMessageAt', order: 'DESCENDING' },
        { fieldPath: '__name__', order: 'DESCENDING' },
      ],
    },
    {
      collectionGroup: 'outbox',
      queryScope: 'COLLECTION',
      fields: [
        { fieldPath: 'status', order: 'DESCENDING' },
        { fieldPath: 'accountId', order: 'ASCENDING' },
        { fieldPath: 'leaseUntil', order: 'ASCENDING' },
      ],
    },
  ],
  fieldOverrides: [
    { collectionGroup: 'outbox', fieldPath: 'text', indexes: [] },
    { collectionGroup: 'outbox', fieldPath: 'answer', indexes: [] },
    { collectionGroup: 'outbox', fieldPath: 'expireAt', ttl: true, indexes: [] },
    {
      collectionGroup: 'messages',
      fieldPath: 'accountId',
      indexes: [
        { order: 'ASCENDING', queryScope: 'COLLECTION' },
        { order: 'ASCENDING', queryScope: 'COLLECTION_GROUP' },
      ],
    },
  ],
};

describe('whether firestore.indexes.json serves a query', () => {
  it.each([
    ['a query needing nothing', query('outbox', '', '__name__ asc'), undefined],
    ['equality on an automatically indexed field', query('outbox', 'accountId ==, waMessageId =='), undefined],
    ['a composite declared with the id written out in its own direction', query('threads', 'accountId ==', 'lastMessageAt desc, __name__ desc'), undefined],
    ['a composite declared with the id left implicit', query('threads', 'accountId ==', 'lastMessageAt desc'), undefined],
    ['a composite whose equality fields come in another order', query('outbox', 'accountId ==, status ==, leaseUntil <=', 'leaseUntil asc'), undefined],
    ['a composite not declared', query('outbox', 'accountId ==, nextAttemptAt <=', 'nextAttemptAt asc'), 'indexes: outbox COLLECTION (accountId ASCENDING, nextAttemptAt ASCENDING)'],
    ['a composite declared with the sort in the other direction', query('threads', 'accountId ==', 'lastMessageAt asc'), 'indexes: threads COLLECTION (accountId ASCENDING, lastMessageAt ASCENDING)'],
    ['a composite holding an equality field the query lacks', query('outbox', 'accountId ==, leaseUntil <=', 'leaseUntil asc'), 'indexes: outbox COLLECTION (accountId ASCENDING, leaseUntil ASCENDING)'],
    ['a field exempted from indexing', query('outbox', 'text =='), 'fieldOverrides: outbox.text needs a COLLECTION index (EQUALITY)'],
    ['a field inside an exempted map', query('outbox', 'answer.status =='), 'fieldOverrides: outbox.answer.status needs a COLLECTION index (EQUALITY)'],
    ['the TTL field, exempted', query('outbox', 'expireAt <='), 'fieldOverrides: outbox.expireAt needs a COLLECTION index (ASCENDING)'],
    ['a collection-group equality without an override', query('messages', 'threadId ==', '', 'COLLECTION_GROUP'), 'fieldOverrides: messages.threadId needs a COLLECTION_GROUP index (EQUALITY)'],
    ['a collection-group equality with its override', query('messages', 'accountId ==', '', 'COLLECTION_GROUP'), undefined],
    ['an override keeps only what it lists', query('messages', 'accountId >', 'accountId desc'), 'fieldOverrides: messages.accountId needs a COLLECTION index (DESCENDING)'],
    ['a collection-group composite never declared', query('messages', 'accountId ==', 'createdAt desc', 'COLLECTION_GROUP'), 'indexes: messages COLLECTION_GROUP (accountId ASCENDING, createdAt DESCENDING)'],
  ])('%s', (_name, shape, expected) => {
    expect(missingIndex(indexNeedOf(shape), FILE)).toBe(expected);
  });
});
