import { Injectable } from '@nestjs/common';
import { AccountSends } from '../../accounts/account-sends';
import { Holding } from '../../accounts/account.repository';
import { FailureReason } from '../../messaging/failure-reason';
import { FirestoreStore } from '../../store/firestore/firestore-store';
import { outboxCollection } from './outbox-docs.firestore';
import { failWaitingItems } from './waiting-failure.firestore';

/** A Firestore commit takes at most 500 writes. */
const MAX_PER_COMMIT = 500;

@Injectable()
export class FirestoreAccountSends extends AccountSends {
  constructor(private readonly store: FirestoreStore) {
    super();
  }

  failWaiting(accountId: string, reason: FailureReason, now: number, fence?: Holding): Promise<number | null> {
    return failWaitingItems(this.store, accountId, reason, now, fence);
  }

  async removeSome(accountId: string, limit: number): Promise<number> {
    const found = await outboxCollection(this.store.db).where('accountId', '==', accountId).limit(Math.min(limit, MAX_PER_COMMIT)).select().get();
    if (found.empty) return 0;
    const batch = this.store.db.batch();
    for (const doc of found.docs) batch.delete(doc.ref);
    await batch.commit();
    return found.size;
  }
}
