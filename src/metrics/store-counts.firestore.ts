import { Injectable } from '@nestjs/common';
import { ACCOUNT_STATUSES, AccountStatus } from '../accounts/account';
import { ACCOUNTS } from '../accounts/account-docs.firestore';
import { OUTBOX } from '../outbox/outbox-docs.firestore';
import { FirestoreStore } from '../store/firestore/firestore-store';
import { OpenOutboxStatus, StoreCounts } from './store-counts';

/**
 * Count aggregations on `status` (Firestore's automatic single-field index): billed one read per 1,000
 * index entries, and no document is fetched, so a scrape stays cheap with a large queue.
 */
@Injectable()
export class FirestoreStoreCounts extends StoreCounts {
  constructor(private readonly store: FirestoreStore) {
    super();
  }

  openOutboxItems(): Promise<Record<OpenOutboxStatus, number>> {
    return this.countByStatus(OUTBOX, ['queued', 'processing']);
  }

  accountsByStatus(): Promise<Record<AccountStatus, number>> {
    return this.countByStatus(ACCOUNTS, ACCOUNT_STATUSES);
  }

  private async countByStatus<S extends string>(collection: string, statuses: readonly S[]): Promise<Record<S, number>> {
    const counts = await Promise.all(
      statuses.map(async (status) => (await this.store.db.collection(collection).where('status', '==', status).count().get()).data().count),
    );
    return Object.fromEntries(statuses.map((status, i) => [status, counts[i]])) as Record<S, number>;
  }
}
