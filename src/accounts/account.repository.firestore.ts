import { Injectable } from '@nestjs/common';
import { FieldPath } from 'firebase-admin/firestore';
import { AccountAlreadyExists } from '../common/errors';
import { Page, PageRequest, pageOf } from '../common/page';
import { isAlreadyExists, isNotFound } from '../store/firestore/firestore-errors';
import { FirestoreStore } from '../store/firestore/firestore-store';
import { AccountRecord } from './account';
import { AccountDoc, accountRef, accountsCollection, toAccount, toAccountDoc } from './account-docs.firestore';
import { AccountRepository } from './account.repository';

@Injectable()
export class FirestoreAccountRepository extends AccountRepository {
  constructor(private readonly store: FirestoreStore) {
    super();
  }

  /** One write: `create()` fails on an existing doc, so two instances creating the same id cannot both win. */
  async create(account: AccountRecord): Promise<void> {
    try {
      await accountRef(this.store.db, account.accountId).create(toAccountDoc(account));
    } catch (error) {
      if (isAlreadyExists(error)) throw new AccountAlreadyExists(account.accountId);
      throw error;
    }
  }

  async get(accountId: string): Promise<AccountRecord | undefined> {
    const snapshot = await accountRef(this.store.db, accountId).get();
    return snapshot.exists ? toAccount(snapshot.id, snapshot.data() as AccountDoc) : undefined;
  }

  /** Ordered by document id, which is the account id: served by the built-in `__name__` index. */
  async list(page: PageRequest): Promise<Page<AccountRecord>> {
    let query = accountsCollection(this.store.db).orderBy(FieldPath.documentId()).limit(page.limit + 1);
    if (page.after) query = query.startAfter(page.after.id);
    const snapshot = await query.get();
    const accounts = snapshot.docs.map((doc) => toAccount(doc.id, doc.data() as AccountDoc));
    return pageOf(accounts, page.limit, (a) => ({ key: 0, id: a.accountId }));
  }

  /** One write, no read: the `exists` precondition tells whether there was an account to delete. */
  async delete(accountId: string): Promise<boolean> {
    try {
      await accountRef(this.store.db, accountId).delete({ exists: true });
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }
}
