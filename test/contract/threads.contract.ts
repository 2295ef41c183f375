import { describe, expect, it } from 'vitest';
import { threadIdOf } from '../../src/common/jid';
import { decodeCursor } from '../../src/common/page';
import { acceptedSend, account } from '../support/sends';
import { MakeStoreFixture } from './store-fixture';

/** The repositories' own cursors, passed back as the HTTP edge passes them (it also checks their ids). */
const ANY_TIME_CURSOR = { key: 'time', isId: () => true } as const;

export function threadsContract(make: MakeStoreFixture): void {
  describe('ThreadRepository', () => {
    it("lists an account's threads newest first, and never another account's", async () => {
      const store = await make();
      await store.accounts.create(account('acc1'));
      await store.accounts.create(account('acc2'));
      const jids = ['40700000001@s.whatsapp.net', '40700000002@s.whatsapp.net', '40700000003@s.whatsapp.net'];
      for (const clientJid of jids) await store.outbox.accept(acceptedSend({ accountId: 'acc1', clientJid }));
      await store.outbox.accept(acceptedSend({ accountId: 'acc2', clientJid: jids[0] }));
      const first = await store.threads.listThreads('acc1', { limit: 2 });
      expect(first.items.map((t) => t.clientJid)).toEqual([jids[2], jids[1]]);
      const rest = await store.threads.listThreads('acc1', { limit: 2, after: decodeCursor(first.nextCursor!, ANY_TIME_CURSOR) });
      expect(rest.items.map((t) => t.clientJid)).toEqual([jids[0]]);
      expect(rest.nextCursor).toBeNull();
      await store.close();
    });

    it("lists a thread's messages newest first in keyset pages", async () => {
      const store = await make();
      await store.accounts.create(account('acc1'));
      const sends = Array.from({ length: 5 }, (_, i) => acceptedSend({ accountId: 'acc1', text: `m${i}` }));
      for (const send of sends) await store.outbox.accept(send);
      const threadId = sends[0].threadId;
      const seen: string[] = [];
      let cursor: string | null | undefined;
      do {
        const page = await store.threads.listMessages(threadId, { limit: 2, after: decodeCursor(cursor ?? undefined, ANY_TIME_CURSOR) });
        seen.push(...page.items.map((m) => m.text!));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual(['m4', 'm3', 'm2', 'm1', 'm0']);
      expect(await store.threads.getThread(threadId)).toMatchObject({ lastMessageText: 'm4' });
      await store.close();
    });

    it('moves the summary to the later-arriving of two messages with the same timestamp, never to an older one', async () => {
      const store = await make();
      await store.accounts.create(account('acc1'));
      const clientJid = '40712345678@s.whatsapp.net';
      const threadId = threadIdOf('acc1', clientJid);
      const inbound = (waMessageId: string, text: string, createdAt: number) =>
        store.threads.storeProviderMessage({ threadId, messageId: waMessageId, accountId: 'acc1', clientJid, direction: 'inbound', text, status: 'delivered', waMessageId, createdAt, updatedAt: createdAt });
      // WhatsApp's timestamps are whole seconds: both arrive stamped with the same one.
      const second = 1_767_225_600_000;
      await inbound('3EB0AAAAAAAAAAAAAAAA01', 'first', second);
      await inbound('3EB0AAAAAAAAAAAAAAAA02', 'second', second);
      expect(await store.threads.getThread(threadId)).toMatchObject({ lastMessageText: 'second', lastMessageAt: second });
      await store.outbox.accept(acceptedSend({ accountId: 'acc1', clientJid, text: 'reply', now: second }));
      expect(await store.threads.getThread(threadId)).toMatchObject({ lastMessageText: 'reply', lastMessageDirection: 'outbound' });
      await inbound('3EB0AAAAAAAAAAAAAAAA03', 'same second, after the reply', second);
      expect(await store.threads.getThread(threadId)).toMatchObject({ lastMessageText: 'same second, after the reply', lastMessageDirection: 'inbound' });
      await inbound('3EB0AAAAAAAAAAAAAAAA04', 'replayed, older', second - 1_000);
      expect(await store.threads.getThread(threadId)).toMatchObject({ lastMessageText: 'same second, after the reply', lastMessageAt: second });
      await store.close();
    });

    it('keeps what a media, location, contact or reaction message carries, and its type', async () => {
      const store = await make();
      await store.accounts.create(account('acc1'));
      const clientJid = '40712345678@s.whatsapp.net';
      const threadId = threadIdOf('acc1', clientJid);
      const base = { threadId, accountId: 'acc1', clientJid, direction: 'inbound' as const, status: 'delivered' as const, createdAt: 1_767_225_600_000, updatedAt: 1_767_225_600_000 };
      const media = { mimetype: 'application/pdf', fileName: 'invoice.pdf', size: 1234, sha256: 'ab'.repeat(32), caption: 'March', stored: false };
      const messages = [
        { ...base, messageId: 'm1', waMessageId: '3A00000000000000000001', text: 'March', type: 'document' as const, media },
        { ...base, messageId: 'm2', waMessageId: '3A00000000000000000002', text: null, type: 'location' as const, content: { kind: 'location' as const, latitude: 44.43, longitude: 26.1, name: 'Shop', address: null } },
        { ...base, messageId: 'm3', waMessageId: '3A00000000000000000003', text: null, type: 'contact' as const, content: { kind: 'contact' as const, displayName: 'Ana', vcard: 'BEGIN:VCARD\r\nEND:VCARD' } },
        { ...base, messageId: 'm4', waMessageId: '3A00000000000000000004', text: null, type: 'unsupported' as const },
      ];
      for (const message of messages) await store.threads.storeProviderMessage(message);
      for (const message of messages) expect(await store.threads.getMessage(threadId, message.messageId)).toEqual(message);
      await store.close();
    });

    it('stores a reaction without moving its thread summary', async () => {
      const store = await make();
      await store.accounts.create(account('acc1'));
      const clientJid = '40712345678@s.whatsapp.net';
      const threadId = threadIdOf('acc1', clientJid);
      const at = 1_767_225_600_000;
      const base = { threadId, accountId: 'acc1', clientJid, direction: 'inbound' as const, status: 'delivered' as const, updatedAt: at };
      await store.threads.storeProviderMessage({ ...base, messageId: 'm1', waMessageId: '3A00000000000000000001', text: 'hello', type: 'text', createdAt: at });
      const reaction = { ...base, messageId: 'm2', waMessageId: '3A00000000000000000002', text: null, type: 'reaction' as const, createdAt: at + 5_000, content: { kind: 'reaction' as const, targetWaMessageId: '3A00000000000000000001', emoji: '👍' } };
      expect(await store.threads.storeProviderMessage(reaction)).toBe('stored');
      expect(await store.threads.getMessage(threadId, 'm2')).toEqual(reaction);
      expect(await store.threads.getThread(threadId)).toMatchObject({ lastMessageText: 'hello', lastMessageAt: at });
      await store.close();
    });

    it('answers nothing for a message asked under another thread', async () => {
      const store = await make();
      await store.accounts.create(account('acc1'));
      await store.accounts.create(account('acc2'));
      const send = acceptedSend({ accountId: 'acc1' });
      await store.outbox.accept(send);
      const otherThread = send.threadId.replace('acc1__', 'acc2__');
      expect(await store.threads.getMessage(otherThread, send.messageId)).toBeUndefined();
      await store.close();
    });
  });
}
