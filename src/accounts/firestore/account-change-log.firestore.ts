import { Transaction, UpdateData, WriteBatch } from 'firebase-admin/firestore';
import { appendEventIn } from '../../events/firestore/event-docs.firestore';
import { AlongsideWrites, asWritten } from '../../store/firestore/conditional-update';
import { FirestoreStore } from '../../store/firestore/firestore-store';
import { accountChanges, accountEvent } from '../account-events';
import { AccountDoc, toAccount } from './account-docs.firestore';

const changesBetween = (accountId: string, before: AccountDoc, after: AccountDoc) => accountChanges(toAccount(accountId, before), toAccount(accountId, after));

/**
 * An account update that numbers its change of status: `statusVersion` on the account doc goes up in
 * the same write, so two instances can never hand out one number twice (the write is conditioned on
 * the doc as read).
 */
export function withStatusVersion(accountId: string, changes: (doc: AccountDoc) => Partial<AccountDoc>): (doc: AccountDoc) => UpdateData<AccountDoc> {
  return (doc) => {
    const update = changes(doc);
    if (!changesBetween(accountId, doc, asWritten(doc, update)).status) return update;
    return { ...update, statusVersion: (doc.statusVersion ?? 0) + 1 };
  };
}

/** The account events of an update (account-events.ts says what is news), added to its batch. */
export function accountChangeEvents(store: FirestoreStore, accountId: string, now: number): AlongsideWrites<AccountDoc> {
  return (before, after, batch) => {
    const changes = changesBetween(accountId, before, after);
    if (changes.status) appendEventIn(store, batch, accountEvent('account.status', toAccount(accountId, after), now, after.statusVersion));
    if (changes.qr) appendEventIn(store, batch, accountEvent('account.qr', toAccount(accountId, after), now));
  };
}

export function accountCreatedIn(store: FirestoreStore, writer: Transaction | WriteBatch, accountId: string, doc: AccountDoc): void {
  const account = toAccount(accountId, doc);
  appendEventIn(store, writer, accountEvent('account.created', account, account.createdAt));
}

export function accountDeletedIn(store: FirestoreStore, writer: Transaction | WriteBatch, accountId: string, doc: AccountDoc, now: number): void {
  appendEventIn(store, writer, accountEvent('account.deleted', toAccount(accountId, doc), now));
}
