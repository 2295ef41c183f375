import { describe, expect, it } from 'vitest';
import { RETRY_SCHEDULE_MS, asksFor, decide, hears } from '../../src/webhooks/webhook-delivery';
import { WebhookEndpoint } from '../../src/webhooks/webhook-endpoint';
import { endpointOf } from '../support/webhook-endpoints';

const NOW = 1_800_000_000_000;
const MAX = 11;

describe('what an attempt decides (decide)', () => {
  it.each<[string, Parameters<typeof decide>[0], number, ReturnType<typeof decide>]>([
    ['200 delivers', { status: 200, ms: 5 }, 1, { result: 'delivered' }],
    ['204 delivers', { status: 204, ms: 5 }, 1, { result: 'delivered' }],
    ['299 delivers', { status: 299, ms: 5 }, 3, { result: 'delivered' }],
    ['2xx on the last attempt delivers', { status: 200, ms: 5 }, MAX, { result: 'delivered' }],
    ['410 fails and disables, whatever the attempt', { status: 410, ms: 5 }, 1, { result: 'failed', disable: 'gone' }],
    ['503 with Retry-After pauses the endpoint that long', { status: 503, ms: 5, retryAfterMs: 120_000 }, 1, { result: 'retrying', retryAt: NOW + 120_000, pauseUntil: NOW + 120_000 }],
    ['429 with Retry-After pauses the endpoint that long', { status: 429, ms: 5, retryAfterMs: 0 }, 2, { result: 'retrying', retryAt: NOW, pauseUntil: NOW }],
    ['the last attempt fails, Retry-After or not', { status: 503, ms: 5, retryAfterMs: 1000 }, MAX, { result: 'failed' }],
    ['a 500 on the last attempt fails', { status: 500, ms: 5 }, MAX, { result: 'failed' }],
    ['a timeout on the last attempt fails', { error: 'no answer within 10000 ms', ms: 10_000 }, MAX, { result: 'failed' }],
  ])('%s', (_why, outcome, attempt, decision) => {
    expect(decide(outcome, attempt, MAX, NOW, 0.5)).toEqual(decision);
  });

  it.each([
    ['a 500', { status: 500, ms: 5 }],
    ['a 503 without Retry-After', { status: 503, ms: 5 }],
    ['a 302 (no redirect is followed)', { status: 302, ms: 5 }],
    ['a 404', { status: 404, ms: 5 }],
    ['a timeout', { error: 'no answer within 10000 ms', ms: 10_000 }],
    ['a refused address', { error: 'refused: private address', ms: 0 }],
  ])('%s waits the schedule: 5 s, 1 min, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 20 h, each ±20 %', (_why, outcome) => {
    const hours = (h: number) => h * 3_600_000;
    expect(RETRY_SCHEDULE_MS).toEqual([5_000, 60_000, 300_000, 1_800_000, hours(2), hours(5), hours(10), hours(14), hours(20), hours(20)]);
    for (let attempt = 1; attempt < MAX; attempt++) {
      const wait = RETRY_SCHEDULE_MS[attempt - 1];
      expect(decide(outcome, attempt, MAX, NOW, 0.5)).toEqual({ result: 'retrying', retryAt: NOW + wait });
      expect(decide(outcome, attempt, MAX, NOW, 0)).toEqual({ result: 'retrying', retryAt: NOW + Math.round(wait * 0.8) });
      const latest = decide(outcome, attempt, MAX, NOW, 0.999999);
      expect(latest.result === 'retrying' && latest.retryAt).toBeLessThanOrEqual(NOW + Math.round(wait * 1.2));
      expect(latest.result === 'retrying' && latest.retryAt).toBeGreaterThan(NOW + Math.round(wait * 1.19));
    }
    const total = RETRY_SCHEDULE_MS.reduce((a, b) => a + b, 0);
    // About three days from the first attempt to the last (CONTRACT, "Retries").
    expect(total / hours(24)).toBeCloseTo(2.98, 2);
  });

  it('keeps the last step of the schedule for attempts past it (WEBHOOK_MAX_ATTEMPTS above 11)', () => {
    expect(decide({ status: 500, ms: 5 }, 15, 20, NOW, 0.5)).toEqual({ result: 'retrying', retryAt: NOW + 20 * 3_600_000 });
  });
});

describe('which endpoints hear an event', () => {
  const endpoint = (changes: Partial<WebhookEndpoint>) => endpointOf('wh_a', { createdAt: NOW - 1000, updatedAt: NOW - 1000, ...changes });
  const event = { type: 'message.received' as const, accountId: 'acme', occurredAt: NOW };

  it.each<[string, Partial<WebhookEndpoint>, boolean]>([
    ['every event of every account', {}, true],
    ['its type asked for', { events: ['message.sent', 'message.received'] }, true],
    ['another type only', { events: ['message.sent'] }, false],
    ['its account listed', { accountIds: ['other', 'acme'] }, true],
    ['another account only', { accountIds: ['acme_'] }, false],
    ['an empty list (its last account deleted): none', { accountIds: [] }, false],
    ['disabled', { enabled: false, disabledReason: 'gone' }, false],
    ['created after the event', { createdAt: NOW + 1 }, false],
    ['created at the event', { createdAt: NOW }, true],
  ])('%s: %s', (_why, changes, heard) => {
    expect(hears(endpoint(changes), event)).toBe(heard);
  });

  it('a replay applies the filters only: a disabled endpoint, or one created later, still asks for the event', () => {
    expect(asksFor(endpoint({ enabled: false, createdAt: NOW + 5000 }), event)).toBe(true);
    expect(asksFor(endpoint({ accountIds: [] }), event)).toBe(false);
    expect(asksFor(endpoint({ events: ['account.status'] }), event)).toBe(false);
  });
});
