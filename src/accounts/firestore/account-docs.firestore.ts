import { CollectionReference, DocumentReference, Firestore, Timestamp } from 'firebase-admin/firestore';
import { toMillis, toTimestamp } from '../../store/firestore/firestore-time';
import { AccountRecord, ConnectionPatch, newAccount } from '../account';

/** `accounts/{accountId}`: the only accounts collection. Its Baileys session is the `session` subcollection. */
export const ACCOUNTS = 'accounts';

const TIME_FIELDS = [
  'leaseUntil',
  'lastDisconnectAt',
  'connectedAt',
  'qrAt',
  'reconnectRequestedAt',
  'resetRequestedAt',
  'reconnectDoneFor',
  'resetDoneFor',
  'pairingRequestedAt',
  'pairingCodeFor',
  'pausedUntil',
  'createdAt',
  'updatedAt',
] as const;
type TimeField = (typeof TIME_FIELDS)[number];

/**
 * The record as stored: the same fields, times as Timestamps (null where the record has null), and the
 * number of the last `account.status` event (absent before the first).
 */
export type AccountDoc = Omit<AccountRecord, TimeField> & { [F in TimeField]: AccountRecord[F] extends number ? Timestamp : Timestamp | null } & { statusVersion?: number };

export function accountsCollection(db: Firestore): CollectionReference {
  return db.collection(ACCOUNTS);
}

export function accountRef(db: Firestore, accountId: string): DocumentReference {
  return accountsCollection(db).doc(accountId);
}

export function toAccountDoc(account: AccountRecord): AccountDoc {
  return withTimes(account, toTimestamp) as AccountDoc;
}

/**
 * Fields a doc written before they existed lacks read as the defaults of a new account, except that an
 * operator request made before requests were recorded done counts as done: it was acted on back then.
 */
export function toAccount(accountId: string, doc: AccountDoc): AccountRecord {
  const { statusVersion: _version, ...fields } = doc;
  const account: AccountRecord = { ...newAccount(accountId, null, 0), ...(withTimes(fields, toMillis) as Partial<AccountRecord>), accountId };
  if (!('reconnectDoneFor' in doc)) account.reconnectDoneFor = account.reconnectRequestedAt;
  if (!('resetDoneFor' in doc)) account.resetDoneFor = account.resetRequestedAt;
  return account;
}

/** A connection patch as doc fields. A field present but undefined is cleared, as the sqlite adapter does. */
export function toPatchDoc(patch: ConnectionPatch): Partial<AccountDoc> {
  const fields = Object.fromEntries(Object.entries(patch).map(([field, value]) => [field, value ?? null]));
  return withTimes(fields, toTimestamp) as Partial<AccountDoc>;
}

function withTimes(source: object, convert: (value: never) => unknown): Record<string, unknown> {
  const converted: Record<string, unknown> = { ...source };
  for (const field of TIME_FIELDS) if (field in converted) converted[field] = convert((converted[field] ?? null) as never);
  return converted;
}
