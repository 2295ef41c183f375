import { Firestore } from 'firebase-admin/firestore';
import { EventDoc, EVENTS, toLoggedEvent } from '../../events/firestore/event-docs.firestore';
import { isFailedPrecondition } from '../../store/firestore/firestore-errors';
import { FirestoreStore } from '../../store/firestore/firestore-store';
import { toTimestamp } from '../../store/firestore/firestore-time';
import { DeliveryClaimRequest } from '../webhook-deliveries.repository';
import { ClaimedDelivery, WebhookDelivery } from '../webhook-delivery';
import { DELIVERIES, DeliveryDoc, OPEN_STATUSES, deliveriesCollection, toDelivery } from './webhook-delivery-docs.firestore';

/** Looks per claim when racing claimers keep taking the chosen items first; each look is a fresh query. */
const CLAIM_ATTEMPTS = 5;

/** One claim per endpoint, side by side; claims of one endpoint from this process queue up. Each with its event. */
export async function claimDeliveries(store: FirestoreStore, request: DeliveryClaimRequest): Promise<ClaimedDelivery[]> {
  const perEndpoint = await Promise.all(
    request.endpoints.map((endpoint) => store.inTurn(`${DELIVERIES}/${endpoint.webhookId}#claim`, () => claimFor(store.db, request, endpoint))),
  );
  return withEvents(store.db, perEndpoint.flat());
}

/**
 * The claim condition as one query (sqlite's CLAIM mirrors it): open, and due, `nextAttemptAt` being the
 * lease's end while processing (index webhookId, status, nextAttemptAt). Then one batch writing each
 * chosen item on condition that it is unchanged since the query (as the outbox claims: no lock held
 * between racing claimers, and nothing else to read, so no transaction); a claimer that loses an item
 * looks again.
 */
async function claimFor(db: Firestore, request: DeliveryClaimRequest, { webhookId, limit }: DeliveryClaimRequest['endpoints'][number]): Promise<WebhookDelivery[]> {
  if (limit <= 0) return [];
  const { owner, now } = request;
  const due = deliveriesCollection(db).where('webhookId', '==', webhookId).where('status', 'in', OPEN_STATUSES).where('nextAttemptAt', '<=', toTimestamp(now));
  for (let look = 1; look <= CLAIM_ATTEMPTS; look++) {
    const found = await due.orderBy('nextAttemptAt').limit(limit).get();
    if (found.empty) return [];
    const leaseUntil = toTimestamp(now + request.leaseMs);
    const batch = db.batch();
    const claimed = found.docs.map((doc) => {
      const item = doc.data() as DeliveryDoc;
      const fields = { status: 'processing' as const, claimedBy: owner, leaseUntil, nextAttemptAt: leaseUntil, attempts: item.attempts + 1, updatedAt: toTimestamp(now) };
      batch.update(doc.ref, fields, { lastUpdateTime: doc.updateTime });
      return toDelivery(doc.id, { ...item, ...fields });
    });
    try {
      await batch.commit();
      return claimed;
    } catch (error) {
      if (!isFailedPrecondition(error)) throw error;
    }
  }
  // Still losing races after several looks: leave the rest to the next poll.
  return [];
}

/** Each item with its event, read by id (null once TTL or an account's purge removed it). */
async function withEvents(db: Firestore, items: WebhookDelivery[]): Promise<ClaimedDelivery[]> {
  if (items.length === 0) return [];
  const events = await db.getAll(...items.map((item) => db.collection(EVENTS).doc(item.eventId)));
  return items.map((item, i) => ({ ...item, event: events[i].exists ? toLoggedEvent(events[i].id, events[i].data() as EventDoc) : null }));
}
