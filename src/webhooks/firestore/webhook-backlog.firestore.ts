import { Firestore, Query, Timestamp } from 'firebase-admin/firestore';
import { toMillis } from '../../store/firestore/firestore-time';
import { OPEN_STATUSES, deliveriesCollection } from './webhook-delivery-docs.firestore';

export interface EndpointBacklog {
  webhookId: string;
  open: number;
  oldestCreatedAt: number;
}

/**
 * Open items per endpoint by aggregate counts, never by reading them (a dead endpoint may owe many
 * thousands, and the gauges read this at every scrape): the endpoints that owe any are found one at a
 * time by skipping past the previous one (index status, webhookId), then each is counted (equalities
 * only: merged single-field indexes) and its oldest item read (index webhookId, status, createdAt).
 * About three reads per endpoint with a backlog, and one more.
 */
export async function endpointBacklog(db: Firestore): Promise<EndpointBacklog[]> {
  const open = deliveriesCollection(db).where('status', 'in', OPEN_STATUSES);
  const backlog: EndpointBacklog[] = [];
  for (let after: string | null = null; ; ) {
    const next: Query = after === null ? open.orderBy('webhookId') : open.orderBy('webhookId').startAfter(after);
    const [first] = (await next.limit(1).get()).docs;
    if (!first) return backlog;
    const webhookId = first.get('webhookId') as string;
    const owed = open.where('webhookId', '==', webhookId);
    const [count, oldest] = await Promise.all([owed.count().get(), owed.orderBy('createdAt').limit(1).get()]);
    const oldestCreatedAt = toMillis(oldest.docs[0]?.get('createdAt') as Timestamp | undefined);
    // Ended between the two reads: nothing owed any more.
    if (count.data().count > 0 && oldestCreatedAt !== null) backlog.push({ webhookId, open: count.data().count, oldestCreatedAt });
    after = webhookId;
  }
}
