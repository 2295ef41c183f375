import { CollectionReference, DocumentReference, Firestore, Timestamp } from 'firebase-admin/firestore';
import { toMillis, toTimestamp } from '../store/firestore/firestore-time';
import { AccountRecord, AccountStatus } from './account';

/** `accounts/{accountId}`: the only accounts collection. */
export const ACCOUNTS = 'accounts';

export interface AccountDoc {
  accountId: string;
  name: string | null;
  status: AccountStatus;
  phone: string | null;
  owner: string | null;
  ownerEpoch: number;
  leaseUntil: Timestamp | null;
  lastDisconnectReason: string | null;
  lastDisconnectAt: Timestamp | null;
  connectedAt: Timestamp | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export function accountsCollection(db: Firestore): CollectionReference {
  return db.collection(ACCOUNTS);
}

export function accountRef(db: Firestore, accountId: string): DocumentReference {
  return accountsCollection(db).doc(accountId);
}

export function toAccountDoc(account: AccountRecord): AccountDoc {
  return {
    ...account,
    leaseUntil: toTimestamp(account.leaseUntil),
    lastDisconnectAt: toTimestamp(account.lastDisconnectAt),
    connectedAt: toTimestamp(account.connectedAt),
    createdAt: toTimestamp(account.createdAt),
    updatedAt: toTimestamp(account.updatedAt),
  };
}

export function toAccount(accountId: string, doc: AccountDoc): AccountRecord {
  return {
    accountId,
    name: doc.name ?? null,
    status: doc.status,
    phone: doc.phone ?? null,
    owner: doc.owner ?? null,
    ownerEpoch: doc.ownerEpoch ?? 0,
    leaseUntil: toMillis(doc.leaseUntil),
    lastDisconnectReason: doc.lastDisconnectReason ?? null,
    lastDisconnectAt: toMillis(doc.lastDisconnectAt),
    connectedAt: toMillis(doc.connectedAt),
    createdAt: toMillis(doc.createdAt),
    updatedAt: toMillis(doc.updatedAt),
  };
}
