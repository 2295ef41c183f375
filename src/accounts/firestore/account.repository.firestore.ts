import { Injectable } from '@nestjs/common';
import { FieldPath } from 'firebase-admin/firestore';
import { AccountAlreadyExists, AccountBeingPurged } from '../../common/errors';
import { Page, PageRequest, pageOf } from '../../common/page';
import { isAlreadyExists } from '../../store/firestore/firestore-errors';
import { toTimestamp } from '../../store/firestore/firestore-time';
import { FirestoreStore } from '../../store/firestore/firestore-store';
import { countByStatus } from '../../store/firestore/count-by-status';
import { ACCOUNT_STATUSES, AccountRecord, AccountStatus, ConnectionPatch } from '../account';
import { ACCOUNTS, AccountDoc, accountRef, accountsCollection, toAccount, toAccountDoc } from './account-docs.firestore';
import { FirestoreAccountLeases } from './account-leases.firestore';
import { accountCreatedIn, accountDeletedIn } from './account-change-log.firestore';
import { AccountSends } from '../account-sends';
import { AccountAction, AccountEnding, AccountRepository, Holding } from '../account.repository';
import { purgeRef } from './account-purges.firestore';
import { SESSION } from './session.repository.firestore';

@Injectable()
export class FirestoreAccountRepository extends AccountRepository {
  private readonly leases: FirestoreAccountLeases;

  constructor(
    private readonly store: FirestoreStore,
    sends: AccountSends,
  ) {
    super();
    this.leases = new FirestoreAccountLeases(store, sends);
  }

  /** A transaction: the purge record of a deleted account of this id is read with the create. */
  async create(account: AccountRecord): Promise<void> {
    const db = this.store.db;
    try {
      await db.runTransaction(async (tx) => {
        const [existing, purge] = await tx.getAll(accountRef(db, account.accountId), purgeRef(db, account.accountId));
        if (purge.exists) throw new AccountBeingPurged(account.accountId);
        if (existing.exists) throw new AccountAlreadyExists(account.accountId);
        const doc = toAccountDoc(account);
        tx.create(accountRef(db, account.accountId), doc);
        accountCreatedIn(this.store, tx, account.accountId, doc);
      });
    } catch (error) {
      if (isAlreadyExists(error)) throw new AccountAlreadyExists(account.accountId);
      throw error;
    }
  }

  countByStatus(): Promise<Record<AccountStatus, number>> {
    return countByStatus(this.store.db, ACCOUNTS, ACCOUNT_STATUSES);
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
   * The session goes first: a subcollection outlives its parent doc in Firestore, and the linked device
   * must go with the account. Then one transaction deletes the doc and records its purge (the rest under
   * it, the aliases, go with the purge) and logs `account.deleted`.
   */
  async delete(accountId: string, now: number): Promise<boolean> {
    const db = this.store.db;
    const ref = accountRef(db, accountId);
    await db.recursiveDelete(ref.collection(SESSION));
    return db.runTransaction(async (tx) => {
      const account = await tx.get(ref);
      if (!account.exists) return false;
      tx.delete(ref);
      accountDeletedIn(this.store, tx, accountId, account.data() as AccountDoc, now);
      tx.set(purgeRef(db, accountId), { deletedAt: toTimestamp(now) });
      return true;
    });
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

  end(holding: Holding, ending: AccountEnding): Promise<boolean> {
    return this.leases.end(holding, ending);
  }

  completeRequest(holding: Holding, action: AccountAction, requestedAt: number): Promise<boolean> {
    return this.leases.completeRequest(holding, action, requestedAt);
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
