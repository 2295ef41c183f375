import { Injectable } from '@nestjs/common';
import { FieldPath } from 'firebase-admin/firestore';
import { AccountAlreadyExists } from '../common/errors';
import { Page, PageRequest, pageOf } from '../common/page';
import { isAlreadyExists, isNotFound } from '../store/firestore/firestore-errors';
import { FirestoreStore } from '../store/firestore/firestore-store';
import { AccountRecord, ConnectionPatch } from './account';
import { AccountDoc, accountRef, accountsCollection, toAccount, toAccountDoc } from './account-docs.firestore';
import { FirestoreAccountLeases } from './account-leases.firestore';
import { AccountAction, AccountRepository, Holding } from './account.repository';

@Injectable()
export class FirestoreAccountRepository extends AccountRepository {
  private readonly leases: FirestoreAccountLeases;

  constructor(private readonly store: FirestoreStore) {
    super();
    this.leases = new FirestoreAccountLeases(store);
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

  /**
   * The session (and anything else under the account) goes first: a subcollection outlives its parent
   * doc in Firestore, and an account made again with this id must never pick up the old linked device.
   * Then one write whose `exists` precondition tells whether there was an account to delete.
   */
  async delete(accountId: string): Promise<boolean> {
    const ref = accountRef(this.store.db, accountId);
    for (const subcollection of await ref.listCollections()) await this.store.db.recursiveDelete(subcollection);
    try {
      await ref.delete({ exists: true });
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  claimUnowned(owner: string, now: number, leaseMs: number, limit: number): Promise<AccountRecord[]> {
    return this.leases.claimUnowned(owner, now, leaseMs, limit);
  }

  renew(holdings: Holding[], leaseUntil: number): Promise<AccountRecord[]> {
    return this.leases.renew(holdings, leaseUntil);
  }

  release(holding: Holding, patch?: ConnectionPatch): Promise<boolean> {
    return this.leases.release(holding, patch);
  }

  recordConnection(holding: Holding, patch: ConnectionPatch): Promise<boolean> {
    return this.leases.recordConnection(holding, patch);
  }

  markRelinkable(accountId: string, now: number): Promise<void> {
    return this.leases.markRelinkable(accountId, now);
  }

  requestAction(accountId: string, action: AccountAction, at: number): Promise<boolean> {
    return this.leases.requestAction(accountId, action, at);
  }

  requestPairing(accountId: string, phoneNumber: string, at: number): Promise<boolean> {
    return this.leases.requestPairing(accountId, phoneNumber, at);
  }
}
