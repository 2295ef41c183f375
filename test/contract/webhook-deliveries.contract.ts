import { describe, expect, it } from 'vitest';
import { claimOf } from '../../src/outbox/claim-rule';
import { ClaimedDelivery, DeliveryAttempt, DeliveryDecision, deliveryIdOf } from '../../src/webhooks/webhook-delivery';
import { acceptedSend, account } from '../support/sends';
import { endpointOf as endpoint } from '../support/webhook-endpoints';
import { DispatchedEvent } from '../../src/webhooks/webhook-deliveries.repository';
import { MakeStoreFixture, StoreFixture } from './store-fixture';

const LEASE = 30_000;

/** `n` accepted sends on the account: `n` more events in the log; answers them, dispatchable. */
async function logEvents(store: StoreFixture, n: number, accountId = 'acc1'): Promise<DispatchedEvent[]> {
  await store.accounts.create(account(accountId)).catch(() => undefined);
  const before = (await store.events.read(null, {}, 1000)).entries.length;
  for (let i = 0; i < n; i++) await store.outbox.accept(acceptedSend({ accountId }));
  return (await store.events.read(null, {}, 1000)).entries.slice(before).map(({ event: { eventId, type, accountId: of, occurredAt } }) => ({ eventId, type, accountId: of, occurredAt }));
}

const idsOf = (events: DispatchedEvent[]) => events.map((event) => event.eventId);

function attemptOf(delivery: ClaimedDelivery, at: number, statusCode: number | null, result: DeliveryAttempt['result']): DeliveryAttempt {
  return { deliveryId: delivery.id, webhookId: delivery.webhookId, eventId: delivery.eventId, attempt: delivery.attempts, at, statusCode, error: null, ms: 3, result };
}

export function webhookDeliveriesContract(make: MakeStoreFixture): void {
  describe('WebhookDeliveries', () => {
    const claimAll = (store: StoreFixture, webhookIds: string[], now: number, owner = 'w1', limit = 10) =>
      store.deliveries.claim({ owner, endpoints: webhookIds.map((webhookId) => ({ webhookId, limit })), now, leaseMs: LEASE });

    it('dispatches once: the cursor moves with the items of every endpoint that hears each event, and a second dispatch from the same place makes none', async () => {
      const store = await make();
      await store.webhooks.create(endpoint('wh_a'));
      await store.webhooks.create(endpoint('wh_b', { accountIds: ['acc2'] }));
      await store.webhooks.create(endpoint('wh_off', { enabled: false }));
      await store.webhooks.create(endpoint('wh_late', { createdAt: Date.now() + 60_000 }));
      const events = [...(await logEvents(store, 2, 'acc1')), ...(await logEvents(store, 1, 'acc2'))];
      const end = await store.events.end();
      expect(await store.deliveries.dispatchedThrough()).toBeNull();
      const [first, second] = await Promise.all([store.deliveries.dispatch(null, end, events, 1000), store.deliveries.dispatch(null, end, events, 1000)]);
      expect([first, second].filter((given) => given === null)).toHaveLength(1);
      expect((first ?? second)!.sort()).toEqual(['wh_a', 'wh_b']);
      expect(await store.deliveries.dispatchedThrough()).toBe(end);
      const claimed = await claimAll(store, ['wh_a', 'wh_b', 'wh_off', 'wh_late'], 1000);
      expect(claimed.map((d) => d.id).sort()).toEqual([...idsOf(events).map((id) => deliveryIdOf('wh_a', id)), deliveryIdOf('wh_b', events[2].eventId)].sort());
      // From a place the cursor has left: refused, nothing made.
      await store.webhooks.create(endpoint('wh_c'));
      expect(await store.deliveries.dispatch(null, end, events, 1000)).toBeNull();
      expect(await claimAll(store, ['wh_c'], 1000)).toEqual([]);
      await store.close();
    });

    it('claims due items with their events, each once while its lease holds, again after it ran out; the late outcome is only logged', async () => {
      const store = await make();
      await store.webhooks.create(endpoint('wh_a'));
      const events = await logEvents(store, 3);
      const ids = idsOf(events);
      await store.deliveries.dispatch(null, await store.events.end(), events, 1000);
      const first = await claimAll(store, ['wh_a'], 1000, 'w1', 2);
      expect(first).toHaveLength(2);
      expect(first.every((d) => d.status === 'processing' && d.attempts === 1 && d.claimedBy === 'w1' && d.event?.eventId === d.eventId)).toBe(true);
      const second = await claimAll(store, ['wh_a'], 1001, 'w2');
      expect(second.map((d) => d.eventId)).toEqual(ids.filter((id) => !first.some((d) => d.eventId === id)));
      expect(await claimAll(store, ['wh_a'], 1000 + LEASE - 1, 'w2')).toEqual([]);
      // w1 died: its two come back to w2 after the lease, as attempt 2.
      const retaken = await claimAll(store, ['wh_a'], 1000 + LEASE, 'w2');
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
      await store.webhooks.create(endpoint('wh_a'));
      const events = await logEvents(store, 1);
      await store.deliveries.dispatch(null, await store.events.end(), events, 1000);
      const [slow] = await claimAll(store, ['wh_a'], 1000, 'w1', 1);
      const [again] = await claimAll(store, ['wh_a'], 1000 + LEASE, 'w1', 1);
      expect(again.attempts).toBe(2);
      expect(await store.deliveries.record(claimOf(slow), attemptOf(slow, 1000 + LEASE, 500, 'retrying'), { result: 'retrying', retryAt: 5_000 }, 1000 + LEASE)).toBe(false);
      expect(await claimAll(store, ['wh_a'], 5_000, 'w2')).toEqual([]);
      await store.close();
    });

    it('retries at the decided time; a pause holds every item of the endpoint back, those dispatched later too, and no other endpoint', async () => {
      const store = await make();
      await store.webhooks.create(endpoint('wh_a', { accountIds: ['acc1'] }));
      await store.webhooks.create(endpoint('wh_b', { accountIds: ['acc2'] }));
      const early = [...(await logEvents(store, 2, 'acc1')), ...(await logEvents(store, 1, 'acc2'))];
      const middle = await store.events.end();
      await store.deliveries.dispatch(null, middle, early, 1000);
      const [d1] = await claimAll(store, ['wh_a'], 1000, 'w1', 1);
      const paused: DeliveryDecision = { result: 'retrying', retryAt: 61_000, pauseUntil: 61_000 };
      expect(await store.deliveries.record(claimOf(d1), attemptOf(d1, 1000, 503, 'retrying'), paused, 1000)).toBe(true);
      expect(await claimAll(store, ['wh_a'], 60_999)).toEqual([]);
      const later = await logEvents(store, 1, 'acc1');
      await store.deliveries.dispatch(middle, await store.events.end(), later, 2000);
      expect(await claimAll(store, ['wh_a'], 60_999)).toEqual([]);
      expect((await claimAll(store, ['wh_b'], 1000)).map((d) => d.eventId)).toEqual([early[2].eventId]);
      const after = await claimAll(store, ['wh_a'], 61_000);
      expect(after.map((d) => d.eventId).sort()).toEqual([early[0].eventId, early[1].eventId, later[0].eventId].sort());
      expect(after.find((d) => d.eventId === d1.eventId)!.attempts).toBe(2);
      await store.close();
    });

    it('replays: an ended item is queued again from attempt 1, one being attempted is left to its attempt, a missing one is made', async () => {
      const store = await make();
      await store.webhooks.create(endpoint('wh_a'));
      const [e1, e2, e3] = await logEvents(store, 3);
      await store.deliveries.dispatch(null, await store.events.end(), [e1, e2], 1000);
      const claimed = await claimAll(store, ['wh_a'], 1000, 'w1', 2);
      const done = claimed.find((d) => d.eventId === e1.eventId)!;
      await store.deliveries.record(claimOf(done), attemptOf(done, 1000, 410, 'failed'), { result: 'failed' }, 1000);
      expect(await store.deliveries.replay('wh_a', idsOf([e1, e2, e3]), 2000)).toBe(2);
      const again = await claimAll(store, ['wh_a'], 2000, 'w2');
      expect(again.map((d) => [d.eventId, d.attempts]).sort()).toEqual(
        [
          [e1.eventId, 1],
          [e3.eventId, 1],
        ].sort(),
      );
      await store.close();
    });

    it("gives back a shutdown's claims unattempted, counts the backlog, purges what ended before retention", async () => {
      const store = await make();
      await store.webhooks.create(endpoint('wh_a'));
      const events = await logEvents(store, 2);
      await store.deliveries.dispatch(null, await store.events.end(), events, 1000);
      const [d1, d2] = await claimAll(store, ['wh_a'], 1000, 'w1', 2);
      await store.deliveries.record(claimOf(d1), attemptOf(d1, 1000, 200, 'delivered'), { result: 'delivered' }, 1000);
      expect(await store.deliveries.backlog()).toEqual([{ webhookId: 'wh_a', open: 1, oldestCreatedAt: 1000 }]);
      expect(await store.deliveries.releaseAll('w1', 1500)).toBe(1);
      const [back] = await claimAll(store, ['wh_a'], 1500, 'w2', 2);
      expect([back.eventId, back.attempts]).toEqual([d2.eventId, 1]);
      expect(await store.deliveries.purgeBefore(1001, 100)).toBe(1);
      expect((await store.deliveries.attempts('wh_a', {}, { limit: 10 })).items).toEqual([]);
      expect(await store.deliveries.backlog()).toEqual([{ webhookId: 'wh_a', open: 1, oldestCreatedAt: 1000 }]);
      await store.close();
    });

    it('pages the attempts newest first, filtered by what each decided', async () => {
      const store = await make();
      await store.webhooks.create(endpoint('wh_a'));
      const events = await logEvents(store, 5);
      await store.deliveries.dispatch(null, await store.events.end(), events, 1000);
      const claimed = await claimAll(store, ['wh_a'], 1000, 'w1', 5);
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
      await store.webhooks.create(endpoint('wh_a'));
      const events = await logEvents(store, 1);
      await store.deliveries.dispatch(null, await store.events.end(), events, 1000);
      const [d1] = await claimAll(store, ['wh_a'], 1000, 'w1', 1);
      await store.deliveries.record(claimOf(d1), attemptOf(d1, 1000, 500, 'retrying'), { result: 'retrying', retryAt: 2000 }, 1000);
      expect(await store.webhooks.delete('wh_a')).toBe(true);
      expect(await store.deliveries.backlog()).toEqual([]);
      expect((await store.deliveries.attempts('wh_a', {}, { limit: 10 })).items).toEqual([]);
      await store.close();
    });
  });
}
