import { describe, expect, it } from 'vitest';
import { threadIdOf } from '../../src/common/jid';
import { failureOf } from '../../src/messaging/failure-reason';
import { StatusReport } from '../../src/receipts/message-status.repository';
import { acceptedSend, account } from '../support/sends';
import { MakeStoreFixture, StoreFixture } from './store-fixture';

type ReportedStatus = StatusReport['status'];

/** An accepted send on `accountId` (created if new) and the way to report receipts for it. */
async function sentMessage(store: StoreFixture, accountId: string, waMessageId?: string) {
  if (!(await store.accounts.get(accountId))) await store.accounts.create(account(accountId));
  const send = acceptedSend({ accountId, ...(waMessageId ? { waMessageId } : {}) });
  await store.outbox.accept(send);
  return {
    report: (status: ReportedStatus, at: number, extra: Partial<StatusReport> = {}) =>
      store.statuses.advance({ accountId, direction: 'outbound', waMessageId: send.waMessageId, status, at, ...extra }),
    stored: async () => (await store.threads.getMessage(send.threadId, send.messageId))!,
    waMessageId: send.waMessageId,
  };
}

/** Every order of a list. */
function orders<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) => orders([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

export function messageStatusesContract(make: MakeStoreFixture): void {
  describe('MessageStatusRepository', () => {
    it('moves a message forward through sent, delivered, read and played, keeping the time of each', async () => {
      const store = await make();
      const message = await sentMessage(store, 'acc1');
      for (const [status, at] of [['sent', 10], ['delivered', 20], ['read', 30], ['played', 40]] as const) expect(await message.report(status, at)).toBe('advanced');
      expect(await message.stored()).toMatchObject({ status: 'played', sentAt: 10, deliveredAt: 20, readAt: 30, playedAt: 40 });
      await store.close();
    });

    it('changes no status for a receipt behind the current one (delivered after read), only fills its missing time', async () => {
      const store = await make();
      const message = await sentMessage(store, 'acc1');
      expect(await message.report('read', 30)).toBe('advanced');
      expect(await message.report('delivered', 20)).toBe('unchanged');
      expect(await message.report('sent', 10)).toBe('unchanged');
      expect(await message.stored()).toMatchObject({ status: 'read', sentAt: 10, deliveredAt: 20, readAt: 30 });
      await store.close();
    });

    it('writes nothing for a repeated receipt: the first time a status was reached stays', async () => {
      const store = await make();
      const message = await sentMessage(store, 'acc1');
      expect(await message.report('delivered', 20)).toBe('advanced');
      const before = await message.stored();
      expect(await message.report('delivered', 50)).toBe('unchanged');
      expect(await message.report('delivered', 5)).toBe('unchanged');
      expect(await message.stored()).toEqual(before);
      expect(before).toMatchObject({ status: 'delivered', deliveredAt: 20 });
      await store.close();
    });

    it('ends at the highest status, with every time recorded, whatever order the receipts arrive in', async () => {
      const store = await make();
      const times = { sent: 10, delivered: 20, read: 30 } as const;
      for (const order of orders(['sent', 'delivered', 'read'] as const)) {
        const message = await sentMessage(store, 'acc1');
        const outcomes = [];
        for (const status of order) outcomes.push(await message.report(status, times[status]));
        // Only a receipt above every earlier one advances.
        const expected = order.map((status, i) => (order.slice(0, i).every((earlier) => times[earlier] < times[status]) ? 'advanced' : 'unchanged'));
        expect({ order, outcomes }).toEqual({ order, outcomes: expected });
        expect(await message.stored()).toMatchObject({ status: 'read', sentAt: 10, deliveredAt: 20, readAt: 30 });
      }
      await store.close();
    });

    it('ranks failed just above sent: a later delivered overrides it, and nothing moves it back to sent', async () => {
      const store = await make();
      const message = await sentMessage(store, 'acc1');
      const rejected = { failure: failureOf('rejected', '463') };
      expect(await message.report('sent', 10)).toBe('advanced');
      expect(await message.report('failed', 15, rejected)).toBe('advanced');
      expect(await message.stored()).toMatchObject({ status: 'failed', failedAt: 15, failureReason: 'rejected', error: '463' });
      expect(await message.report('sent', 16)).toBe('unchanged');
      expect((await message.stored()).status).toBe('failed');
      expect(await message.report('delivered', 20)).toBe('advanced');
      expect(await message.report('failed', 25, rejected)).toBe('unchanged');
      expect(await message.stored()).toMatchObject({ status: 'delivered', sentAt: 10, failedAt: 15, deliveredAt: 20 });
      await store.close();
    });

    it('answers unknown for a WhatsApp id it never stored, or under the other direction, and changes nothing', async () => {
      const store = await make();
      const message = await sentMessage(store, 'acc1');
      const before = await message.stored();
      expect(await store.statuses.advance({ accountId: 'acc1', direction: 'outbound', waMessageId: '3EB0NEVERSTORED', status: 'read', at: 30 })).toBe('unknown');
      expect(await store.statuses.advance({ accountId: 'acc1', direction: 'inbound', waMessageId: message.waMessageId, status: 'read', at: 30 })).toBe('unknown');
      expect(await message.stored()).toEqual(before);
      expect(before.status).toBe('queued');
      await store.close();
    });

    it("moves only the reported account's message, for ids that only differ by a trailing '_' too", async () => {
      const store = await make();
      const acme = await sentMessage(store, 'acme', '3EB0SAMEIDINBOTH');
      const acmeUnderscore = await sentMessage(store, 'acme_', '3EB0SAMEIDINBOTH');
      expect(await acme.report('read', 30)).toBe('advanced');
      expect((await acme.stored()).status).toBe('read');
      expect((await acmeUnderscore.stored()).status).toBe('queued');
      for (const stranger of ['acm', 'acme__']) {
        expect(await store.statuses.advance({ accountId: stranger, direction: 'outbound', waMessageId: '3EB0SAMEIDINBOTH', status: 'played', at: 40 })).toBe('unknown');
      }
      expect(await acmeUnderscore.report('delivered', 20)).toBe('advanced');
      expect([(await acme.stored()).status, (await acmeUnderscore.stored()).status]).toEqual(['read', 'delivered']);
      await store.close();
    });

    it('moves an inbound message by its own lookup, not the outbound one with the same WhatsApp id', async () => {
      const store = await make();
      const outbound = await sentMessage(store, 'acc1', '3EB0SHAREDID');
      const clientJid = '40712345678@s.whatsapp.net';
      const threadId = threadIdOf('acc1', clientJid);
      await store.threads.storeProviderMessage({ threadId, messageId: 'in-1', accountId: 'acc1', clientJid, direction: 'inbound', text: 'hi', status: 'delivered', waMessageId: '3EB0SHAREDID', createdAt: 5, updatedAt: 5 });
      expect(await store.statuses.advance({ accountId: 'acc1', direction: 'inbound', waMessageId: '3EB0SHAREDID', status: 'read', at: 30 })).toBe('advanced');
      expect(await store.threads.getMessage(threadId, 'in-1')).toMatchObject({ status: 'read', readAt: 30 });
      expect((await outbound.stored()).status).toBe('queued');
      await store.close();
    });

    it('ends at the highest status when receipts for one message race from two connections', async () => {
      const store = await make();
      const other = await store.reopen();
      const message = await sentMessage(store, 'acc1');
      const reports = [['played', 40], ['sent', 10], ['read', 30], ['delivered', 20]] as const;
      const outcomes = await Promise.all(
        reports.map(([status, at], i) => (i % 2 ? other : store).statuses.advance({ accountId: 'acc1', direction: 'outbound', waMessageId: message.waMessageId, status, at })),
      );
      expect(outcomes).not.toContain('unknown');
      expect(await message.stored()).toMatchObject({ status: 'played', sentAt: 10, deliveredAt: 20, readAt: 30, playedAt: 40 });
      await other.close();
      await store.close();
    });
  });
}
