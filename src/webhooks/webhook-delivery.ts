import { LoggedEvent } from '../events/event';
import { AttemptOutcome } from './webhook-attempt';
import { ALL_EVENTS, WebhookEndpoint } from './webhook-endpoint';

/**
 * One event owed to one endpoint: a work item on the claim engine (claim-rule.ts's lease and attempt
 * count), keyed by endpoint, not fenced by account ownership. Its id is `{webhookId}__{eventId}`, so a
 * dispatch repeated by two instances makes one item, and a replay re-queues the same one.
 */
export type DeliveryStatus = 'queued' | 'processing' | 'delivered' | 'failed';

export interface WebhookDelivery {
  id: string;
  webhookId: string;
  eventId: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: number;
  leaseUntil: number | null;
  claimedBy: string | null;
  createdAt: number;
}

/** A claimed item with its event (null once retention or an account's purge removed it). */
export interface ClaimedDelivery extends WebhookDelivery {
  event: LoggedEvent | null;
}

/** What an attempt left in the endpoint's deliveries log: its time, HTTP status or error, and how long it took. */
export type AttemptResult = 'delivered' | 'retrying' | 'failed';

export interface DeliveryAttempt {
  deliveryId: string;
  webhookId: string;
  eventId: string;
  attempt: number;
  at: number;
  statusCode: number | null;
  error: string | null;
  ms: number;
  result: AttemptResult;
}

export function deliveryIdOf(webhookId: string, eventId: string): string {
  return `${webhookId}__${eventId}`;
}

/** An endpoint hears an event when enabled, existing when it happened, and asking for it. */
export function hears(endpoint: WebhookEndpoint, event: Pick<LoggedEvent, 'type' | 'accountId' | 'occurredAt'>): boolean {
  return endpoint.enabled && event.occurredAt >= endpoint.createdAt && asksFor(endpoint, event);
}

/** Its filters, what a replay applies: the event's type, and its account (null is every account; [] none). */
export function asksFor(endpoint: WebhookEndpoint, event: Pick<LoggedEvent, 'type' | 'accountId'>): boolean {
  if (!endpoint.events.includes(ALL_EVENTS) && !endpoint.events.includes(event.type)) return false;
  return endpoint.accountIds === null || endpoint.accountIds.includes(event.accountId);
}

/** The waits after attempts 1 to 10 (CONTRACT, "Retries"): about three days in all. */
export const RETRY_SCHEDULE_MS = [5_000, 60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000, 5 * 3_600_000, 10 * 3_600_000, 14 * 3_600_000, 20 * 3_600_000, 20 * 3_600_000];
export const RETRY_JITTER = 0.2;

/** What an attempt's outcome means for its item and its endpoint, decided once for every store. */
export type DeliveryDecision =
  | { result: 'delivered' }
  | { result: 'failed'; disable?: 'gone' }
  | { result: 'retrying'; retryAt: number; pauseUntil?: number };

/**
 * 2xx ends the item; 410 ends it and disables the endpoint; 429 and 503 with Retry-After wait that long
 * and pause the endpoint; anything else (other statuses, timeouts, refused addresses) waits the next step
 * of the schedule, ±20 %, until the last attempt fails it (still replayable). `random` is in [0, 1).
 */
export function decide(outcome: AttemptOutcome, attempt: number, maxAttempts: number, now: number, random: number): DeliveryDecision {
  const status = outcome.status;
  if (status !== undefined && status >= 200 && status < 300) return { result: 'delivered' };
  if (status === 410) return { result: 'failed', disable: 'gone' };
  if (attempt >= maxAttempts) return { result: 'failed' };
  if ((status === 429 || status === 503) && outcome.retryAfterMs !== undefined) {
    const until = now + outcome.retryAfterMs;
    return { result: 'retrying', retryAt: until, pauseUntil: until };
  }
  const wait = RETRY_SCHEDULE_MS[Math.min(attempt, RETRY_SCHEDULE_MS.length) - 1];
  return { result: 'retrying', retryAt: now + Math.round(wait * (1 - RETRY_JITTER + 2 * RETRY_JITTER * random)) };
}
