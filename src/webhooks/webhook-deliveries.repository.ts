import { LoggedEvent } from '../events/event';
import { Claim } from '../outbox/claim-rule';
import { Page, PageRequest } from '../common/page';
import { AttemptResult, ClaimedDelivery, DeliveryAttempt, DeliveryDecision } from './webhook-delivery';

/** What a dispatch needs of an event to tell which endpoints hear it (webhook-delivery.ts `hears`). */
export type DispatchedEvent = Pick<LoggedEvent, 'eventId' | 'type' | 'accountId' | 'occurredAt'>;

export interface DeliveryClaimRequest {
  owner: string;
  /** The endpoints this instance may attempt now, each with its room under WEBHOOK_CONCURRENCY. */
  endpoints: Array<{ webhookId: string; limit: number }>;
  now: number;
  leaseMs: number;
}

/**
 * Delivery items and their attempts. Adapters: sqlite/webhook-deliveries.repository.sqlite.ts (tables
 * `webhook_deliveries`, `webhook_attempts`, `webhook_dispatch`, `webhook_pauses`) and
 * firestore/webhook-deliveries.repository.firestore.ts (the collections of the same names in camelCase).
 */
export abstract class WebhookDeliveries {
  /** How far the event log has been fanned out (null: not yet). */
  abstract dispatchedThrough(): Promise<string | null>;
  /**
   * Creates one item per event and endpoint that hears it, and moves the dispatch cursor from `from` to
   * `to`, atomically, only if the cursor is still `from`: another instance that dispatched the same events
   * first wins, and this one creates none. The endpoints are read in the same atomic step, so one created
   * meanwhile is either seen or created after every event it could have heard. An item created before (a
   * replay) stays as it is; new items wait out their endpoint's pause. Answers the endpoints given items,
   * or null when the cursor had moved on.
   */
  abstract dispatch(from: string | null, to: string, events: DispatchedEvent[], now: number): Promise<string[] | null>;
  /** Up to each endpoint's limit of due items (queued and due, or processing under a lease that ran out), claimed. */
  abstract claim(request: DeliveryClaimRequest): Promise<ClaimedDelivery[]>;
  /**
   * Logs the attempt and applies its decision, only while the claim holds (false otherwise: another
   * instance reclaimed the item, and this attempt's answer is only logged). A pause holds every item of
   * the endpoint back until then, those dispatched later included.
   */
  abstract record(claim: Claim, attempt: DeliveryAttempt, decision: DeliveryDecision, now: number): Promise<boolean>;
  /** Claims handed back at shutdown, unattempted. */
  abstract releaseAll(owner: string, now: number): Promise<number>;
  /**
   * Queues these events for the endpoint again, from attempt 1, creating the items a dispatch made
   * before its filters matched; an item being attempted now is left to its attempt. How many were queued.
   */
  abstract replay(webhookId: string, eventIds: string[], now: number): Promise<number>;
  /** The endpoint's attempts, newest first; a cursor is the last attempt's time and the adapter's id for it. */
  abstract attempts(webhookId: string, filter: { result?: AttemptResult }, page: PageRequest): Promise<Page<DeliveryAttempt>>;
  /** Items still owed (queued or processing) per endpoint, and the oldest one's creation time. */
  abstract backlog(): Promise<Array<{ webhookId: string; open: number; oldestCreatedAt: number }>>;
  /** Removes ended items and attempts older than `before`; how many items went. */
  abstract purgeBefore(before: number, limit: number): Promise<number>;
}
