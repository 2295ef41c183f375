import { expect, it } from 'vitest';
import { claimOf } from '../../../src/outbox/claim-rule';
import { WebhookEndpoint } from '../../../src/webhooks/webhook-endpoint';
import { describeOnFirestoreEmulator, firestoreFixtures } from '../../support/firestore-emulator';

const LEASE = 30_000;
/** More items than one of the adapter's transactions makes or pushes back (400). */
const MANY = 450;

const endpoint: WebhookEndpoint = {
  webhookId: 'wh_a',
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

const events = Array.from({ length: MANY }, (_, i) => ({ eventId: `evt_${String(i).padStart(4, '0')}`, type: 'message.accepted' as const, accountId: 'acc1', occurredAt: 1 }));

// What the contract's few items never reach: a fan-out and a pause larger than one Firestore transaction.
describeOnFirestoreEmulator('webhook deliveries on firestore, beyond one transaction', (host) => {
  const make = firestoreFixtures(host);

  it('dispatches a fan-out larger than one transaction whole, once, and a pause holds back a backlog larger than one', async () => {
    const store = await make();
    await store.webhooks.create(endpoint);
    expect(await store.deliveries.dispatch(null, 'c1', events, 1000)).toEqual(['wh_a']);
    expect(await store.deliveries.dispatch(null, 'c1', events, 1000)).toBeNull();
    expect(await store.deliveries.backlog()).toEqual([{ webhookId: 'wh_a', open: MANY, oldestCreatedAt: 1000 }]);

    const claim = (now: number, limit: number) => store.deliveries.claim({ owner: 'w1', endpoints: [{ webhookId: 'wh_a', limit }], now, leaseMs: LEASE });
    const [first] = await claim(1000, 1);
    expect(await store.deliveries.record(claimOf(first), { deliveryId: first.id, webhookId: 'wh_a', eventId: first.eventId, attempt: 1, at: 1000, statusCode: 429, error: null, ms: 2, result: 'retrying' }, { result: 'retrying', retryAt: 61_000, pauseUntil: 61_000 }, 1000)).toBe(true);
    expect(await claim(60_999, MANY)).toEqual([]);
    expect(await claim(61_000, MANY)).toHaveLength(MANY);
    await store.close();
  }, 60_000);
});
