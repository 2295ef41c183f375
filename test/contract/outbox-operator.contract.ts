import { describe, expect, it } from 'vitest';
import { LoggedEvent } from '../../src/events/event';
import { failureOf } from '../../src/messaging/failure-reason';
import { claimOf } from '../../src/outbox/claim-rule';
import { acceptedSend, account } from '../support/sends';
import { MakeStoreFixture, StoreFixture } from './store-fixture';

const LEASE = 60_000;
const CLIENT = '40712345678@s.whatsapp.net';

async function heldAccounts(store: StoreFixture, ids: string[]) {
  for (const id of ids) await store.accounts.create(account(id));
  const taken = await store.accounts.claimUnowned('w1/a', Date.now(), 3_600_000, 100);
  return taken.map((a) => ({ accountId: a.accountId, ownerEpoch: a.ownerEpoch }));
}

async function accept(store: StoreFixture, accountId: string, text: string, clientJid = CLIENT) {
  return (await store.outbox.accept(acceptedSend({ accountId, clientJid, text, now: Date.now() - 1000 }))).item;
}

async function eventTypes(store: StoreFixture): Promise<LoggedEvent[]> {
  return (await store.events.read(null, {}, 200)).entries.map((entry) => entry.event);
}

export function outboxOperatorContract(make: MakeStoreFixture): void {
  describe('OutboxRepository for the operator: counts, lists, retry of a failed send', () => {
    it('retries a failed send as the same item, WhatsApp id and message, queued with its attempts reset', async () => {
      const store = await make();
      const held = await heldAccounts(store, ['acc1']);
      const item = await accept(store, 'acc1', 'm1');
      const now = Date.now();
      const [claimed] = await store.outbox.claim({ owner: 'w1/a', accounts: held, now, leaseMs: LEASE, perAccount: 10 });
      await store.outbox.markFailed(claimOf(claimed), failureOf('rejected', 'no such user'), now);
      const eventsBefore = (await eventTypes(store)).length;

      const outcome = await store.outbox.retryFailed('acc1', item.requestId, now + 1);

      expect(outcome).toMatchObject({ kind: 'queued', item: { id: item.id, status: 'queued', attempts: 0, waMessageId: item.waMessageId, messageId: item.messageId, lastError: null, failureReason: null, endedAt: null } });
      expect(await store.outbox.get('acc1', item.requestId)).toMatchObject({ status: 'queued', attempts: 0, waMessageId: item.waMessageId, failureReason: null, endedAt: null, nextAttemptAt: now + 1 });
      const message = await store.threads.getMessage(item.threadId, item.messageId);
      expect(message).toMatchObject({ status: 'queued', waMessageId: item.waMessageId });
      expect(message?.failureReason ?? null).toBeNull();
      const appended = (await eventTypes(store)).slice(eventsBefore);
      expect(appended.map((event) => event.type)).toEqual(['message.accepted']);
      expect(appended[0].subject).toMatchObject({ message: { messageId: item.messageId, status: 'queued' } });
      const [again] = await store.outbox.claim({ owner: 'w1/a', accounts: held, now: now + 2, leaseMs: LEASE, perAccount: 10 });
      expect(again).toMatchObject({ id: item.id, attempts: 1, waMessageId: item.waMessageId });
      await store.close();
    });

    it('refuses to retry a failed send that a later receipt showed delivered: sending it again would send it twice', async () => {
      const store = await make();
      const held = await heldAccounts(store, ['acc1']);
      const item = await accept(store, 'acc1', 'm1');
      const now = Date.now();
      const [claimed] = await store.outbox.claim({ owner: 'w1/a', accounts: held, now, leaseMs: LEASE, perAccount: 10 });
      await store.outbox.markFailed(claimOf(claimed), failureOf('maxAttempts', 'ack timed out'), now);
      await store.statuses.advance({ accountId: 'acc1', direction: 'outbound', waMessageId: item.waMessageId, status: 'delivered', at: now + 1 });

      expect(await store.outbox.retryFailed('acc1', item.requestId, now + 2)).toEqual({ kind: 'notFailed', status: 'sent' });
      expect(await store.outbox.get('acc1', item.requestId)).toMatchObject({ status: 'failed' });
      expect(await store.threads.getMessage(item.threadId, item.messageId)).toMatchObject({ status: 'delivered' });
      expect(await store.outbox.claim({ owner: 'w1/a', accounts: held, now: now + 3, leaseMs: LEASE, perAccount: 10 })).toEqual([]);
      await store.close();
    });

    it('refuses to retry an item that is not failed, naming its status, and an unknown one', async () => {
      const store = await make();
      const held = await heldAccounts(store, ['acc1']);
      const queued = await accept(store, 'acc1', 'waiting', '40700000001@s.whatsapp.net');
      const sent = await accept(store, 'acc1', 'gone', '40700000002@s.whatsapp.net');
      const now = Date.now();
      const claimed = await store.outbox.claim({ owner: 'w1/a', accounts: held, now, leaseMs: LEASE, perAccount: 10 });
      await store.outbox.markSent(claimOf(claimed.find((i) => i.id === sent.id)!), now);
      await store.outbox.releaseUnsent(claimOf(claimed.find((i) => i.id === queued.id)!), now);

      expect(await store.outbox.retryFailed('acc1', queued.requestId, now)).toEqual({ kind: 'notFailed', status: 'queued' });
      expect(await store.outbox.retryFailed('acc1', sent.requestId, now)).toEqual({ kind: 'notFailed', status: 'sent' });
      expect(await store.outbox.retryFailed('acc1', 'req-unknown', now)).toEqual({ kind: 'notFound' });
      expect(await store.outbox.get('acc1', sent.requestId)).toMatchObject({ status: 'sent' });
      await store.close();
    });

    it('queues a retried send after the sends its thread accepted since, so it never jumps a turn given out', async () => {
      const store = await make();
      const held = await heldAccounts(store, ['acc1']);
      const first = await accept(store, 'acc1', 'm1');
      const second = await accept(store, 'acc1', 'm2');
      const now = Date.now();
      const round = () => store.outbox.claim({ owner: 'w1/a', accounts: held, now: Date.now(), leaseMs: LEASE, perAccount: 10 });
      const [claimed] = await round();
      await store.outbox.markFailed(claimOf(claimed), failureOf('maxAttempts', 'gave up'), now);
      await store.outbox.retryFailed('acc1', first.requestId, now);

      const [next] = await round();
      expect(next.id).toBe(second.id);
      expect(await round()).toEqual([]);
      await store.outbox.markSent(claimOf(next), Date.now());
      expect((await round()).map((item) => item.id)).toEqual([first.id]);
      await store.close();
    });

    it("counts an account's queued, processing and failed items, and lists them by status, page by page", async () => {
      const store = await make();
      const held = await heldAccounts(store, ['acc1', 'acc2']);
      const items = [];
      for (let i = 0; i < 4; i++) items.push(await accept(store, 'acc1', `m${i}`, `4070000000${i}@s.whatsapp.net`));
      await accept(store, 'acc2', 'other account');
      const now = Date.now();
      const claimed = await store.outbox.claim({ owner: 'w1/a', accounts: held.filter((h) => h.accountId === 'acc1'), now, leaseMs: LEASE, perAccount: 2 });
      await store.outbox.markFailed(claimOf(claimed[0]), failureOf('rejected', 'no'), now);

      expect(await store.outbox.countOf('acc1')).toEqual({ queued: 2, processing: 1, failed: 1 });
      expect(await store.outbox.countOf('acc2')).toEqual({ queued: 1, processing: 0, failed: 0 });
      const failed = await store.outbox.list('acc1', 'failed', { limit: 10 });
      expect(failed).toMatchObject({ items: [{ id: claimed[0].id, status: 'failed', failureReason: 'rejected', lastError: 'no' }], nextCursor: null });
      const firstPage = await store.outbox.list('acc1', undefined, { limit: 3 });
      expect(firstPage.items).toHaveLength(3);
      expect(firstPage.nextCursor).not.toBeNull();
      const last = firstPage.items.at(-1)!;
      const secondPage = await store.outbox.list('acc1', undefined, { limit: 3, after: { key: 0, id: last.requestId } });
      expect([...firstPage.items, ...secondPage.items].map((item) => item.id).sort()).toEqual(items.map((item) => item.id).sort());
      expect(secondPage.nextCursor).toBeNull();
      await store.close();
    });
  });
}
