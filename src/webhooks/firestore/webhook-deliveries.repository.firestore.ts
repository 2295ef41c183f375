import { Injectable } from '@nestjs/common';
import { DocumentData, FieldPath, Firestore, Transaction, UpdateData } from 'firebase-admin/firestore';
import { Page, PageRequest, encodeCursor } from '../../common/page';
import { Claim } from '../../outbox/claim-rule';
import { updateWhile } from '../../store/firestore/conditional-update';
import { FirestoreStore } from '../../store/firestore/firestore-store';
import { toTimestamp } from '../../store/firestore/firestore-time';
import { DeliveryClaimRequest, DispatchedEvent, WebhookDeliveries } from '../webhook-deliveries.repository';
import { AttemptResult, ClaimedDelivery, DeliveryAttempt, DeliveryDecision, deliveryIdOf, hears } from '../webhook-delivery';
import { endpointBacklog } from './webhook-backlog.firestore';
import { claimDeliveries } from './webhook-delivery-claim.firestore';
import {
  AttemptDoc,
  DeliveryKey,
  DISPATCH_CURSOR,
  DeliveryDoc,
  attemptsCollection,
  deliveriesCollection,
  deliveryRef,
  newDeliveryDoc,
  toAttempt,
  toAttemptDoc,
} from './webhook-delivery-docs.firestore';
import { WebhookDoc, toEndpoint, webhooksCollection } from './webhook-docs.firestore';
import { holdBack, pauseEndsIn, pauseIn } from './webhook-pauses.firestore';

/** Items per transaction (a dispatch's, a replay's): well under a commit's bounds, with their reads. */
const ITEM_BATCH = 400;
/** A dispatch transaction's answer, or the items to make first when they are too many for it. */
type DispatchRound = { given: string[] | null } | { overflow: DeliveryKey[] };

const isStillClaimed = (claim: Claim) => (doc: DeliveryDoc) => doc.status === 'processing' && doc.claimedBy === claim.claimedBy && doc.attempts === claim.attempts;

/**
 * The Firestore side of webhook deliveries (layout: webhook-delivery-docs.firestore.ts). Queries need the
 * indexes in firestore.indexes.json (test/contract/firestore.spec.ts checks them).
 */
@Injectable()
export class FirestoreWebhookDeliveries extends WebhookDeliveries {
  private readonly db: Firestore;

  constructor(private readonly store: FirestoreStore) {
    super();
    this.db = store.db;
  }

  async dispatchedThrough(): Promise<string | null> {
    return ((await this.db.doc(DISPATCH_CURSOR).get()).get('cursor') as string | undefined) ?? null;
  }

  /**
   * One transaction re-reads the cursor and the enabled endpoints, makes the items and moves the cursor:
   * of racing dispatchers exactly one moves it and a loser makes nothing, and an endpoint created meanwhile
   * is either read here or created after every event it could hear. A fan-out too large for one commit
   * makes all but its last batch first, each batch in its own transaction, then tries again: a crash never
   * leaves the cursor past items not made, and a dispatcher that then loses the race made items the winner
   * makes too (the ids are deterministic and both read the same page of the log), so they are harmless.
   */
  async dispatch(from: string | null, to: string, events: DispatchedEvent[], now: number): Promise<string[] | null> {
    const cursor = this.db.doc(DISPATCH_CURSOR);
    const made = new Set<string>();
    for (;;) {
      const outcome = await this.db.runTransaction<DispatchRound>(async (tx) => {
        if ((((await tx.get(cursor)).get('cursor') as string | undefined) ?? null) !== from) return { given: null };
        const endpoints = (await tx.get(webhooksCollection(this.db).where('enabled', '==', true))).docs.map((doc) => toEndpoint(doc.data() as WebhookDoc));
        const items = events.flatMap((event) => endpoints.filter((endpoint) => hears(endpoint, event)).map(({ webhookId }) => ({ webhookId, eventId: event.eventId })));
        const missing = items.filter((item) => !made.has(deliveryIdOf(item.webhookId, item.eventId)));
        if (missing.length > ITEM_BATCH) return { overflow: missing.slice(0, -ITEM_BATCH) };
        await this.queueIn(tx, missing, now, false);
        tx.set(cursor, { cursor: to });
        return { given: [...new Set(items.map((item) => item.webhookId))] };
      });
      if (!('overflow' in outcome)) return outcome.given;
      for (const batch of inBatches(outcome.overflow)) await this.db.runTransaction((tx) => this.queueIn(tx, batch, now, false));
      for (const item of outcome.overflow) made.add(deliveryIdOf(item.webhookId, item.eventId));
    }
  }

  claim(request: DeliveryClaimRequest): Promise<ClaimedDelivery[]> {
    return claimDeliveries(this.store, request);
  }

  /**
   * One transaction: the attempt is logged whatever happens; the decision applies only while the claim
   * holds. A pause also holds the endpoint's queued items back, the first PAUSE_BATCH in the same
   * transaction and any further ones right after it.
   */
  async record(claim: Claim, attempt: DeliveryAttempt, decision: DeliveryDecision, now: number): Promise<boolean> {
    const ref = deliveriesCollection(this.db).doc(claim.id);
    const pauseUntil = decision.result === 'retrying' ? decision.pauseUntil : undefined;
    const outcome = await this.db.runTransaction(async (tx) => {
      const item = await tx.get(ref);
      const held = item.exists && isStillClaimed(claim)(item.data() as DeliveryDoc);
      const pause = held && pauseUntil !== undefined ? await pauseIn(tx, this.db, attempt.webhookId, pauseUntil, true) : undefined;
      tx.create(attemptsCollection(this.db).doc(), toAttemptDoc(this.store, attempt));
      if (!held) return { held, more: false };
      tx.update(ref, decided(decision, now));
      pause?.write();
      return { held, more: pause?.full ?? false };
    });
    if (outcome.more) await holdBack(this.db, attempt.webhookId, pauseUntil!);
    return outcome.held;
  }

  /** Index-merged equality query on (claimedBy, status), then one conditioned write per item. */
  async releaseAll(owner: string, now: number): Promise<number> {
    const claimed = await deliveriesCollection(this.db).where('claimedBy', '==', owner).where('status', '==', 'processing').get();
    const released = await Promise.all(
      claimed.docs.map((seen) =>
        updateWhile<DeliveryDoc>(
          seen.ref,
          (doc) => doc.status === 'processing' && doc.claimedBy === owner,
          (doc) => ({ status: 'queued', attempts: doc.attempts - 1, nextAttemptAt: toTimestamp(now), leaseUntil: null, claimedBy: null, updatedAt: toTimestamp(now) }),
          seen,
        ),
      ),
    );
    return released.filter(Boolean).length;
  }

  async replay(webhookId: string, eventIds: string[], now: number): Promise<number> {
    let queued = 0;
    // Unique: a second `create` of one id would refuse its whole commit.
    for (const batch of inBatches([...new Set(eventIds)].map((eventId) => ({ webhookId, eventId })))) queued += await this.db.runTransaction((tx) => this.queueIn(tx, batch, now, true));
    return queued;
  }

  /** Newest first by (at, document id): indexes webhookAttempts (webhookId[, result], at desc). */
  async attempts(webhookId: string, filter: { result?: AttemptResult }, page: PageRequest): Promise<Page<DeliveryAttempt>> {
    let query = attemptsCollection(this.db).where('webhookId', '==', webhookId);
    if (filter.result !== undefined) query = query.where('result', '==', filter.result);
    query = query.orderBy('at', 'desc').orderBy(FieldPath.documentId(), 'desc');
    if (page.after) query = query.startAfter(toTimestamp(page.after.key), page.after.id);
    const docs = (await query.limit(page.limit + 1).get()).docs;
    const items = docs.slice(0, page.limit).map((doc) => ({ id: doc.id, attempt: toAttempt(doc.data() as AttemptDoc) }));
    const last = items[items.length - 1];
    return { items: items.map((item) => item.attempt), nextCursor: docs.length > page.limit ? encodeCursor({ key: last.attempt.at, id: last.id }) : null };
  }

  backlog(): Promise<Array<{ webhookId: string; open: number; oldestCreatedAt: number }>> {
    return endpointBacklog(this.db);
  }

  /**
   * TTL (expireAt, firestore.indexes.json) deletes items and attempts once their event is past retention,
   * but only within a day or so of it, and never on the emulator: this deletes what ended before
   * `before` meanwhile, as sqlite does (single-field indexes on endedAt and at).
   */
  async purgeBefore(before: number, limit: number): Promise<number> {
    const until = toTimestamp(before);
    const [attempts, items] = await Promise.all([
      attemptsCollection(this.db).where('at', '<', until).orderBy('at').limit(limit).get(),
      deliveriesCollection(this.db).where('endedAt', '<', until).orderBy('endedAt').limit(limit).get(),
    ]);
    for (const docs of inBatches([...attempts.docs, ...items.docs])) {
      const batch = this.db.batch();
      for (const doc of docs) batch.delete(doc.ref);
      await batch.commit();
    }
    return items.size;
  }

  /**
   * Makes the missing items in `tx`, each due when its endpoint's pause ends (or now); with `requeue`, an
   * existing one not being attempted is queued again from attempt 1. How many were made or queued.
   */
  private async queueIn(tx: Transaction, items: DeliveryKey[], now: number, requeue: boolean): Promise<number> {
    if (items.length === 0) return 0;
    const refs = items.map((item) => deliveryRef(this.db, item));
    const docs = await tx.getAll(...refs);
    const pauses = await pauseEndsIn(tx, this.db, items.map((item) => item.webhookId));
    let queued = 0;
    items.forEach((item, i) => {
      const dueAt = Math.max(now, pauses.get(item.webhookId) ?? 0);
      if (!docs[i].exists) tx.create(refs[i], newDeliveryDoc(this.store, item, dueAt, now));
      else if (requeue && docs[i].get('status') !== 'processing') tx.update(refs[i], requeued(dueAt, now));
      else return;
      queued++;
    });
    return queued;
  }

}

function decided(decision: DeliveryDecision, now: number): UpdateData<DocumentData> {
  const at = toTimestamp(now);
  if (decision.result === 'retrying') return { status: 'queued', nextAttemptAt: toTimestamp(decision.retryAt), leaseUntil: null, claimedBy: null, updatedAt: at };
  return { status: decision.result, endedAt: at, leaseUntil: null, updatedAt: at };
}

function requeued(dueAt: number, now: number): UpdateData<DocumentData> {
  return { status: 'queued', attempts: 0, nextAttemptAt: toTimestamp(dueAt), leaseUntil: null, claimedBy: null, endedAt: null, updatedAt: toTimestamp(now) };
}

function inBatches<T>(items: T[]): T[][] {
  const batches: T[][] = [];
  for (let i = 0; i < items.length; i += ITEM_BATCH) batches.push(items.slice(i, i + ITEM_BATCH));
  return batches;
}
