import { Injectable } from '@nestjs/common';
import { CollectionReference, Timestamp } from 'firebase-admin/firestore';
import { FirestoreStore } from '../../store/firestore/firestore-store';
import { toMillis, toTimestamp } from '../../store/firestore/firestore-time';
import { AccountKey, Scope, withoutAccount } from '../account-key';
import { AccountKeyRepository } from '../account-key.repository';

/** `apiKeys/{keyId}`: server-only (firestore.rules has no rule for it, so clients are refused). */
export const API_KEYS = 'apiKeys';

interface AccountKeyDoc {
  keyId: string;
  name: string;
  accountIds: string[];
  scopes: Scope[];
  hash: string;
  createdAt: Timestamp;
}

@Injectable()
export class FirestoreAccountKeyRepository extends AccountKeyRepository {
  constructor(private readonly store: FirestoreStore) {
    super();
  }

  async create(key: AccountKey): Promise<void> {
    await this.keys().doc(key.keyId).create({ ...key, createdAt: toTimestamp(key.createdAt) });
  }

  async get(keyId: string): Promise<AccountKey | null> {
    const doc = await this.keys().doc(keyId).get();
    return doc.exists ? toKey(doc.data() as AccountKeyDoc) : null;
  }

  /** By the built-in single-field index on `createdAt`; ties in document-id order. */
  async list(): Promise<AccountKey[]> {
    return (await this.keys().orderBy('createdAt').get()).docs.map((doc) => toKey(doc.data() as AccountKeyDoc));
  }

  async delete(keyId: string): Promise<boolean> {
    return this.store.db.runTransaction(async (tx) => {
      const ref = this.keys().doc(keyId);
      if (!(await tx.get(ref)).exists) return false;
      tx.delete(ref);
      return true;
    });
  }

  /** Found by `array-contains` (built-in index); each key changed in its own transaction, re-read there. */
  async removeAccount(accountId: string): Promise<number> {
    const found = await this.keys().where('accountIds', 'array-contains', accountId).get();
    const listed = await Promise.all(
      found.docs.map((doc) =>
        this.store.db.runTransaction(async (tx) => {
          const current = await tx.get(doc.ref);
          if (!current.exists) return false;
          const left = withoutAccount(toKey(current.data() as AccountKeyDoc), accountId);
          if (left) tx.update(doc.ref, { accountIds: left.accountIds });
          else tx.delete(doc.ref);
          return true;
        }),
      ),
    );
    return listed.filter(Boolean).length;
  }

  private keys(): CollectionReference {
    return this.store.db.collection(API_KEYS);
  }
}

function toKey(doc: AccountKeyDoc): AccountKey {
  return { keyId: doc.keyId, name: doc.name, accountIds: doc.accountIds, scopes: doc.scopes, hash: doc.hash, createdAt: toMillis(doc.createdAt) };
}
