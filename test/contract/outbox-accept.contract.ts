import { describe, expect, it } from 'vitest';
import { AccountNotFound } from '../../src/common/errors';
import { threadIdOf } from '../../src/common/jid';
import { acceptedSend, account } from '../support/sends';
import { MakeStoreFixture } from './store-fixture';

export function outboxAcceptContract(make: MakeStoreFixture): void {
  describe('OutboxRepository.accept', () => {
    it('writes the queued message, the thread summary and the outbox item together', async () => {
      const store = await make();
      await store.accounts.create(account('acc1'));
      const send = acceptedSend({ accountId: 'acc1', text: 'first' });
      const outcome = await store.outbox.accept(send);
      expect(outcome.kind).toBe('accepted');
      const message = await store.threads.getMessage(send.threadId, send.messageId);
      expect(message).toMatchObject({ direction: 'outbound', status: 'queued', text: 'first', waMessageId: send.waMessageId, requestId: send.requestId, seq: 1 });
      expect(await store.threads.getThread(send.threadId)).toMatchObject({
        accountId: 'acc1',
        clientJid: send.clientJid,
        lastMessageText: 'first',
        lastMessageDirection: 'outbound',
        lastMessageAt: send.now,
      });
      const item = await store.outbox.get('acc1', send.requestId);
      expect(item).toMatchObject({
        id: `acc1__${send.requestId}`,
        status: 'queued',
        attempts: 0,
        messageRef: `threads/${send.threadId}/messages/${send.messageId}`,
        waMessageId: send.waMessageId,
        seq: 1,
        answer: { requestId: send.requestId, messageId: send.messageId, threadId: send.threadId, waMessageId: send.waMessageId, status: 'queued' },
      });
      await store.close();
    });

    it('numbers the sends of one thread in the order they were accepted', async () => {
      const store = await make();
      await store.accounts.create(account('acc1'));
      const seqs: number[] = [];
      for (let i = 0; i < 5; i++) {
        const outcome = await store.outbox.accept(acceptedSend({ accountId: 'acc1', text: `m${i}` }));
        seqs.push(outcome.item.seq);
      }
      expect(seqs).toEqual([1, 2, 3, 4, 5]);
      await store.close();
    });

    it('gives 20 concurrent identical requests one message and one outbox item', async () => {
      const store = await make();
      await store.accounts.create(account('acc1'));
      const send = acceptedSend({ accountId: 'acc1' });
      const attempts = Array.from({ length: 20 }, () => store.outbox.accept({ ...send, messageId: crypto.randomUUID().replaceAll('-', '') }));
      const outcomes = await Promise.all(attempts);
      expect(outcomes.filter((o) => o.kind === 'accepted')).toHaveLength(1);
      const winner = outcomes.find((o) => o.kind === 'accepted')!.item;
      for (const outcome of outcomes) expect(outcome.item.answer).toEqual(winner.answer);
      const messages = await store.threads.listMessages(send.threadId, { limit: 50 });
      expect(messages.items).toHaveLength(1);
      await store.close();
    });

    it('gives one message when two connections accept the same key at once', async () => {
      const store = await make();
      const other = await store.reopen();
      await store.accounts.create(account('acc1'));
      const send = acceptedSend({ accountId: 'acc1' });
      const outcomes = await Promise.all([
        store.outbox.accept({ ...send, messageId: 'fromA' }),
        other.outbox.accept({ ...send, messageId: 'fromB' }),
        store.outbox.accept({ ...send, messageId: 'fromA2' }),
        other.outbox.accept({ ...send, messageId: 'fromB2' }),
      ]);
      expect(outcomes.filter((o) => o.kind === 'accepted')).toHaveLength(1);
      expect((await store.threads.listMessages(send.threadId, { limit: 50 })).items).toHaveLength(1);
      await other.close();
      await store.close();
    });

    it('scopes keys per account: the same request id on two accounts is two sends in two threads', async () => {
      const store = await make();
      await store.accounts.create(account('acc1'));
      await store.accounts.create(account('acc2'));
      const a = await store.outbox.accept(acceptedSend({ accountId: 'acc1', requestId: 'same-key' }));
      const b = await store.outbox.accept(acceptedSend({ accountId: 'acc2', requestId: 'same-key' }));
      expect([a.kind, b.kind]).toEqual(['accepted', 'accepted']);
      expect(a.item.threadId).toBe(threadIdOf('acc1', '40712345678@s.whatsapp.net'));
      expect(b.item.threadId).toBe(threadIdOf('acc2', '40712345678@s.whatsapp.net'));
      expect((await store.threads.listThreads('acc1', { limit: 10 })).items.map((t) => t.threadId)).toEqual([a.item.threadId]);
      expect((await store.threads.listThreads('acc2', { limit: 10 })).items.map((t) => t.threadId)).toEqual([b.item.threadId]);
      await store.close();
    });

    it('refuses a send for an unknown account and writes nothing', async () => {
      const store = await make();
      const send = acceptedSend({ accountId: 'ghost' });
      await expect(store.outbox.accept(send)).rejects.toBeInstanceOf(AccountNotFound);
      expect(await store.threads.getThread(send.threadId)).toBeUndefined();
      expect(await store.outbox.get('ghost', send.requestId)).toBeUndefined();
      await store.close();
    });
  });
}
