import { Injectable } from '@nestjs/common';
import { DocumentReference, Firestore, Query } from 'firebase-admin/firestore';
import { contactAliasesOf } from '../../messaging/firestore/contact-alias.repository.firestore';
import { MEDIA_DOWNLOADS } from '../../messaging/firestore/media-download-docs.firestore';
import { MESSAGES, MESSAGE_LOOKUP, THREADS } from '../../messaging/firestore/message-docs.firestore';
import { FirestoreStore } from '../../store/firestore/firestore-store';
import { AccountPurges } from '../account-purges';
import { AccountSends } from '../account-sends';

/** `accountPurges/{accountId}` → `{ deletedAt }`: server-only, written with the account's delete. */
export const ACCOUNT_PURGES = 'accountPurges';

export function purgeRef(db: Firestore, accountId: string): DocumentReference {
  return db.collection(ACCOUNT_PURGES).doc(accountId);
}

/** A Firestore commit takes at most 500 writes. */
const MAX_PER_COMMIT = 500;

@Injectable()
export class FirestoreAccountPurges extends AccountPurges {
  constructor(
    private readonly store: FirestoreStore,
    private readonly sends: AccountSends,
  ) {
    super();
  }

  async pending(limit: number): Promise<string[]> {
    const found = await this.store.db.collection(ACCOUNT_PURGES).orderBy('deletedAt').limit(limit).select().get();
    return found.docs.map((doc) => doc.id);
  }

  /**
   * One query and one batch per call, kind by kind; a thread's messages go before the thread doc, which
   * would not take its subcollection with it. (Media and events, once they exist, are steps here too.)
   */
  async purgeSome(accountId: string, limit: number): Promise<number> {
    const db = this.store.db;
    const size = Math.min(limit, MAX_PER_COMMIT);
    const sends = await this.sends.removeSome(accountId, size);
    if (sends > 0) return sends;
    for (const kind of [
      db.collection(MESSAGE_LOOKUP).where('accountId', '==', accountId),
      db.collection(MEDIA_DOWNLOADS).where('accountId', '==', accountId),
      contactAliasesOf(db, accountId),
    ]) {
      const removed = await this.removeSome(kind, size);
      if (removed > 0) return removed;
    }
    const thread = await db.collection(THREADS).where('accountId', '==', accountId).limit(1).select().get();
    if (!thread.empty) {
      const messages = await this.removeSome(thread.docs[0].ref.collection(MESSAGES), size);
      if (messages > 0) return messages;
      await thread.docs[0].ref.delete();
      return 1;
    }
    await purgeRef(db, accountId).delete();
    return 0;
  }

  private async removeSome(query: Query, size: number): Promise<number> {
    const found = await query.limit(size).select().get();
    if (found.empty) return 0;
    const batch = this.store.db.batch();
    for (const doc of found.docs) batch.delete(doc.ref);
    await batch.commit();
    return found.size;
  }
}
