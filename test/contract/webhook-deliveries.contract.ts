import { describe, expect, it } from 'vitest';
import { claimOf } from '../../src/outbox/claim-rule';
import { ClaimedDelivery, DeliveryAttempt, DeliveryDecision, deliveryIdOf } from '../../src/webhooks/webhook-delivery';
import { WebhookEndpoint } from '../../src/webhooks/webhook-endpoint';
import { acceptedSend, account } from '../support/sends';
import { MakeStoreFixture, StoreFixture } from './store-fixture';

const LEASE = 30_000;

function endpoint(webhookId: string): WebhookEndpoint {
  return {
    webhookId,
    url: 'https://hooks.example.com/',
    events: ['*'],
    accountIds: null,
    description: null,
    enabled: true,
    disabledReason: null,
    secrets: { current: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', previous: null },
    createdAt: 0,
    updatedAt: 0,
  };
}

/** `n` accepted sends on acc1, so the log holds `n` events; answers their ids. */
async function logEvents(store: StoreFixture, n: number): Promise<string[]> {
  await store.accounts.create(account('acc1')).catch(() => undefined);
  for (let i = 0; i < n; i++) await store.outbox.accept(acceptedSend({ accountId: 'acc1' }));
  const read = await store.events.read(null, {}, 500);
  return read.entries.map((entry) => entry.event.eventId);
}

function attemptOf(delivery: ClaimedDelivery, at: number, statusCode: number | null, result: DeliveryAttempt['result']): DeliveryAttempt {
  return { deliveryId: delivery.id, webhookId: delivery.webhookId, eventId: delivery.eventId, attempt: delivery.attempts, at, statusCode, error: null, ms: 3, result };
}

export function webhookDeliveriesContract(make: MakeStoreFixture): void {
  describe('WebhookDeliveries', () => {
    it('dispatches once: the cursor moves with its items, and a second dispatch from the same place makes none', async () => {
      const store = await make();
      const [e1, e2] = await logEvents(store, 2);
      const end = await store.events.end();
      expect(await store.deliveries.dispatchedThrough()).toBeNull();
      const items = [e1, e2].map((eventId) => ({ webhookId: 'wh_a', eventId }));
      const [first, second] = await Promise.all([store.deliveries.dispatch(null, end, items, 1000), store.deliveries.dispatch(null, end, [{ webhookId: 'wh_b', eventId: e1 }], 1000)]);
      expect([first, second].sort()).toEqual([false, true]);
      expect(await store.deliveries.dispatchedThrough()).toBe(end);
      const claimed = await store.deliveries.claim({ owner: 'w1', endpoints: [{ webhookId: 'wh_a', limit: 10 }, { webhookId: 'wh_b', limit: 10 }], now: 1000, leaseMs: LEASE });
      expect(claimed.length === 2 ? claimed.map((d) => d.id).sort() : claimed.map((d) => d.id)).toEqual(first ? [deliveryIdOf('wh_a', e1), deliveryIdOf('wh_a', e2)].sort() : [deliveryIdOf('wh_b', e1)]);
      // From a place the cursor has left: refused, nothing made.
      expect(await store.deliveries.dispatch(null, end, [{ webhookId: 'wh_c', eventId: e1 }], 1000)).toBe(false);
      expect(await store.deliveries.claim({ owner: 'w1', endpoints: [{ webhookId: 'wh_c', limit: 10 }], now: 1000, leaseMs: LEASE })).toEqual([]);
      await store.close();
    });

    it('claims due items with their events, each once while its lease holds, again after it ran out; the late outcome is only logged', async () => {
      const store = await make();
      const ids = await logEvents(store, 3);
      await store.deliveries.dispatch(null, await store.events.end(), ids.map((eventId) => ({ webhookId: 'wh_a', eventId })), 1000);
      const claim = (owner: string, now: number, limit = 10) => store.deliveries.claim({ owner, endpoints: [{ webhookId: 'wh_a', limit }], now, leaseMs: LEASE });
      const first = await claim('w1', 1000, 2);
      expect(first).toHaveLength(2);
      expect(first.every((d) => d.status === 'processing' && d.attempts === 1 && d.claimedBy === 'w1' && d.event?.eventId === d.eventId)).toBe(true);
      const second = await claim('w2', 1001);
      expect(second.map((d) => d.eventId)).toEqual(ids.filter((id) => !first.some((d) => d.eventId === id)));
      expect(await claim('w2', 1000 + LEASE - 1)).toEqual([]);
      // w1 died: its two come back to w2 after the lease, as attempt 2.
      const retaken = await claim('w2', 1000 + LEASE);
      expect(retaken.map((d) => [d.id, d.attempts]).sort()).toEqual(first.map((d) => [d.id, 2]).sort());
      expect(await store.deliveries.record(claimOf(first[0]), attemptOf(first[0], 1000 + LEASE + 5, 200, 'delivered'), { result: 'delivered' }, 1000 + LEASE + 5)).toBe(false);
      expect(await store.deliveries.record(claimOf(retaken[0]), attemptOf(retaken[0], 1000 + LEASE + 6, 200, 'delivered'), { result: 'delivered' }, 1000 + LEASE + 6)).toBe(true);
      const log = await store.deliveries.attempts('wh_a', {}, { limit: 10 });
      expect(log.items.map((a) => [a.attempt, a.statusCode, a.result])).toEqual([
        [2, 200, 'delivered'],
        [1, 200, 'delivered'],
      ]);
      await store.close();
    });

    it("refuses the outcome of an attempt the same instance reclaimed since (its claim's attempt count moved on)", async () => {
      const store = await make();
      const [e1] = await logEvents(store, 1);
      await store.deliveries.dispatch(null, '1', [{ webhookId: 'wh_a', eventId: e1 }], 1000);
      const claim = (now: number) => store.deliveries.claim({ owner: 'w1', endpoints: [{ webhookId: 'wh_a', limit: 1 }], now, leaseMs: LEASE });
      const [slow] = await claim(1000);
      const [again] = await claim(1000 + LEASE);
      expect(again.attempts).toBe(2);
      expect(await store.deliveries.record(claimOf(slow), attemptOf(slow, 1000 + LEASE, 500, 'retrying'), { result: 'retrying', retryAt: 5_000 }, 1000 + LEASE)).toBe(false);
      expect(await store.deliveries.claim({ owner: 'w2', endpoints: [{ webhookId: 'wh_a', limit: 1 }], now: 5_000, leaseMs: LEASE })).toEqual([]);
      await store.close();
    });

    it('retries at the decided time; a pause holds every item of the endpoint back, those dispatched later too, and no other endpoint', async () => {
      const store = await make();
      const [e1, e2, e3] = await logEvents(store, 3);
      const from = await store.deliveries.dispatchedThrough();
      await store.deliveries.dispatch(from, '1', [{ webhookId: 'wh_a', eventId: e1 }, { webhookId: 'wh_a', eventId: e2 }, { webhookId: 'wh_b', eventId: e1 }], 1000);
      const claim = (webhookId: string, now: number) => store.deliveries.claim({ owner: 'w1', endpoints: [{ webhookId, limit: 1 }], now, leaseMs: LEASE });
      const [d1] = await claim('wh_a', 1000);
      const paused: DeliveryDecision = { result: 'retrying', retryAt: 61_000, pauseUntil: 61_000 };
      expect(await store.deliveries.record(claimOf(d1), attemptOf(d1, 1000, 503, 'retrying'), paused, 1000)).toBe(true);
      expect(await claim('wh_a', 60_999)).toEqual([]);
      await store.deliveries.dispatch('1', '2', [{ webhookId: 'wh_a', eventId: e3 }], 2000);
      expect(await claim('wh_a', 60_999)).toEqual([]);
      expect((await claim('wh_b', 1000)).map((d) => d.eventId)).toEqual([e1]);
      const after = [...(await claim('wh_a', 61_000)), ...(await claim('wh_a', 61_000)), ...(await claim('wh_a', 61_000))];
      expect(after.map((d) => d.eventId).sort()).toEqual([e1, e2, e3].sort());
      expect(after.find((d) => d.eventId === e1)!.attempts).toBe(2);
      await store.close();
    });

    it('replays: an ended item is queued again from attempt 1, one being attempted is left to its attempt, a missing one is made', async () => {
      const store = await make();
      const [e1, e2, e3] = await logEvents(store, 3);
      await store.deliveries.dispatch(null, '2', [{ webhookId: 'wh_a', eventId: e1 }, { webhookId: 'wh_a', eventId: e2 }], 1000);
      const claimed = await store.deliveries.claim({ owner: 'w1', endpoints: [{ webhookId: 'wh_a', limit: 2 }], now: 1000, leaseMs: LEASE });
      const done = claimed.find((d) => d.eventId === e1)!;
      await store.deliveries.record(claimOf(done), attemptOf(done, 1000, 410, 'failed'), { result: 'failed' }, 1000);
      expect(await store.deliveries.replay('wh_a', [e1, e2, e3], 2000)).toBe(2);
      const again = await store.deliveries.claim({ owner: 'w2', endpoints: [{ webhookId: 'wh_a', limit: 10 }], now: 2000, leaseMs: LEASE });
      expect(again.map((d) => [d.eventId, d.attempts]).sort()).toEqual([
        [e1, 1],
        [e3, 1],
      ].sort());
      await store.close();
    });

    it('gives back a dead-end shutdown\'s claims unattempted, counts the backlog, purges what ended before retention', async () => {
      const store = await make();
      const [e1, e2] = await logEvents(store, 2);
      await store.deliveries.dispatch(null, '2', [{ webhookId: 'wh_a', eventId: e1 }, { webhookId: 'wh_a', eventId: e2 }], 1000);
      const [d1, d2] = await store.deliveries.claim({ owner: 'w1', endpoints: [{ webhookId: 'wh_a', limit: 2 }], now: 1000, leaseMs: LEASE });
      await store.deliveries.record(claimOf(d1), attemptOf(d1, 1000, 200, 'delivered'), { result: 'delivered' }, 1000);
      expect(await store.deliveries.backlog()).toEqual([{ webhookId: 'wh_a', open: 1, oldestCreatedAt: 1000 }]);
      expect(await store.deliveries.releaseAll('w1', 1500)).toBe(1);
      const [back] = await store.deliveries.claim({ owner: 'w2', endpoints: [{ webhookId: 'wh_a', limit: 2 }], now: 1500, leaseMs: LEASE });
      expect([back.eventId, back.attempts]).toEqual([d2.eventId, 1]);
      expect(await store.deliveries.purgeBefore(1001, 100)).toBe(1);
      expect((await store.deliveries.attempts('wh_a', {}, { limit: 10 })).items).toEqual([]);
      expect(await store.deliveries.backlog()).toEqual([{ webhookId: 'wh_a', open: 1, oldestCreatedAt: 1000 }]);
      await store.close();
    });

    it('pages the attempts newest first, filtered by what each decided', async () => {
      const store = await make();
      const ids = await logEvents(store, 5);
      await store.deliveries.dispatch(null, '5', ids.map((eventId) => ({ webhookId: 'wh_a', eventId })), 1000);
      const claimed = await store.deliveries.claim({ owner: 'w1', endpoints: [{ webhookId: 'wh_a', limit: 5 }], now: 1000, leaseMs: LEASE });
      for (const [i, d] of claimed.entries()) {
        const result = i % 2 === 0 ? 'delivered' : 'retrying';
        await store.deliveries.record(claimOf(d), attemptOf(d, 1000 + i, i % 2 === 0 ? 200 : 500, result), result === 'delivered' ? { result } : { result, retryAt: 9_000 }, 1000 + i);
      }
      const seen: string[] = [];
      let page = await store.deliveries.attempts('wh_a', {}, { limit: 2 });
      for (;;) {
        seen.push(...page.items.map((a) => a.eventId));
        if (!page.nextCursor) break;
        const [key, id] = JSON.parse(Buffer.from(page.nextCursor, 'base64url').toString()) as [number, string];
        page = await store.deliveries.attempts('wh_a', {}, { limit: 2, after: { key, id } });
      }
      expect(seen).toEqual(claimed.map((d) => d.eventId).reverse());
      const retrying = await store.deliveries.attempts('wh_a', { result: 'retrying' }, { limit: 10 });
      expect(retrying.items.map((a) => a.statusCode)).toEqual([500, 500]);
      expect((await store.deliveries.attempts('wh_other', {}, { limit: 10 })).items).toEqual([]);
      await store.close();
    });

    it("an endpoint's deletion takes its items and attempts with it", async () => {
      const store = await make();
      const [e1] = await logEvents(store, 1);
      await store.webhooks.create(endpoint('wh_a'));
      await store.deliveries.dispatch(null, '1', [{ webhookId: 'wh_a', eventId: e1 }], 1000);
      const [d1] = await store.deliveries.claim({ owner: 'w1', endpoints: [{ webhookId: 'wh_a', limit: 1 }], now: 1000, leaseMs: LEASE });
      await store.deliveries.record(claimOf(d1), attemptOf(d1, 1000, 500, 'retrying'), { result: 'retrying', retryAt: 2000 }, 1000);
      expect(await store.webhooks.delete('wh_a')).toBe(true);
      expect(await store.deliveries.backlog()).toEqual([]);
      expect((await store.deliveries.attempts('wh_a', {}, { limit: 10 })).items).toEqual([]);
      await store.close();
    });
  });
}
