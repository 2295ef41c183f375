import { describe, expect, it } from 'vitest';
import { threadIdOf } from '../../src/common/jid';
import type { LoggedEvent } from '../../src/events/event';
import { claimOf } from '../../src/outbox/claim-rule';
import type { MediaSource } from '../../src/whatsapp/whatsapp-provider';
import { account } from '../support/sends';
import { MakeStoreFixture, StoreFixture } from './store-fixture';

const LEASE = 600_000;
const T0 = Date.UTC(2026, 11, 3, 12, 0, 0);
const CLIENT = '40712345678@s.whatsapp.net';

async function heldAccount(store: StoreFixture, accountId = 'acc1', owner = 'w1/a') {
  await store.accounts.create(account(accountId));
  const [taken] = await store.accounts.claimUnowned(owner, Date.now(), 3_600_000, 100);
  return { accountId: taken.accountId, ownerEpoch: taken.ownerEpoch };
}

function sourceOf(waMessageId: string): MediaSource {
  const file = { contentType: 'imageMessage', url: `https://mmg.whatsapp.net/v/${waMessageId}.enc`, directPath: `/v/${waMessageId}.enc`, mediaKey: 'a2V5', fileEncSha256: null, fileSha256: 'c2hh', fileLength: 2048, mimetype: 'image/jpeg' };
  return { key: { remoteJid: CLIENT, fromMe: false, id: waMessageId, participant: null }, file };
}

/** An inbound image stored as the inbound write stores it, with (or without) its download item. */
async function receiveImage(store: StoreFixture, messageId: string, withDownload = true, accountId = 'acc1') {
  const threadId = threadIdOf(accountId, CLIENT);
  const waMessageId = `3A${messageId.toUpperCase().padStart(18, '0')}`;
  const media = { mimetype: 'image/jpeg', fileName: null, size: 2048, sha256: 'ab'.repeat(32), caption: null, stored: false };
  const message = { threadId, messageId, accountId, clientJid: CLIENT, direction: 'inbound' as const, text: null, status: 'delivered' as const, waMessageId, type: 'image' as const, media, createdAt: T0, updatedAt: T0 };
  await store.threads.storeProviderMessage(message, withDownload ? sourceOf(waMessageId) : undefined);
  return { threadId, messageId, source: sourceOf(waMessageId) };
}

async function eventsOf(store: StoreFixture): Promise<LoggedEvent[]> {
  return (await store.events.read(null, {}, 100)).entries.map((entry) => entry.event);
}

export function mediaDownloadsContract(make: MakeStoreFixture): void {
  describe('MediaDownloads', () => {
    it("makes the item in the message's write, holding what the download needs, kept across a restart, claimed only under the account's owner and epoch", async () => {
      const store = await make();
      const held = await heldAccount(store);
      const { threadId, messageId, source } = await receiveImage(store, 'm1');
      await receiveImage(store, 'm2', false);
      // A restart between the message's write and its download loses nothing.
      const restarted = await store.reopen();
      await store.close();
      const claim = (owner: string, ownerEpoch: number) => restarted.mediaDownloads.claim({ owner, accounts: [{ ...held, ownerEpoch }], now: T0, leaseMs: LEASE, perAccount: 5 });
      expect(await claim('w1/a', held.ownerEpoch - 1)).toEqual([]);
      expect(await claim('w2/b', held.ownerEpoch)).toEqual([]);
      const claimed = await claim('w1/a', held.ownerEpoch);
      expect(claimed).toEqual([expect.objectContaining({ accountId: 'acc1', threadId, messageId, type: 'image', source, status: 'processing', claimedBy: 'w1/a', attempts: 1 })]);
      expect(await claim('w1/a', held.ownerEpoch)).toEqual([]);
      await restarted.close();
    });

    it('records the stored file in one write: the media stored with its hash and size, message.media_stored appended, the item done', async () => {
      const store = await make();
      const held = await heldAccount(store);
      const { threadId, messageId } = await receiveImage(store, 'm1');
      const [item] = await store.mediaDownloads.claim({ owner: 'w1/a', accounts: [held], now: T0, leaseMs: LEASE, perAccount: 5 });
      const blob = { sha256: 'cd'.repeat(32), size: 2000 };
      expect(await store.mediaDownloads.recordStored({ ...claimOf(item), attempts: 2 }, blob, T0 + 1_000)).toBe(false);
      expect((await store.threads.getMessage(threadId, messageId))!.media).toMatchObject({ stored: false });
      expect(await store.mediaDownloads.recordStored(claimOf(item), blob, T0 + 1_000)).toBe(true);
      expect((await store.threads.getMessage(threadId, messageId))!.media).toEqual({ mimetype: 'image/jpeg', fileName: null, size: 2000, sha256: 'cd'.repeat(32), caption: null, stored: true });
      const events = (await eventsOf(store)).filter((event) => (event.subject as { message?: { messageId: string } }).message?.messageId === messageId);
      expect(events.map((event) => [event.type, (event.subject as { message: { media: { stored: boolean } } }).message.media.stored])).toEqual([
        ['message.received', false],
        ['message.media_stored', true],
      ]);
      expect(await store.mediaDownloads.recordStored(claimOf(item), blob, T0 + 2_000)).toBe(false);
      expect(await store.mediaDownloads.claim({ owner: 'w1/a', accounts: [held], now: T0 + 2 * LEASE, leaseMs: LEASE, perAccount: 5 })).toEqual([]);
      await store.close();
    });

    it('retries a released item from its next attempt time, reclaims one whose lease ran out, and never takes a failed one again', async () => {
      const store = await make();
      const held = await heldAccount(store);
      await receiveImage(store, 'm1');
      const claim = (now: number) => store.mediaDownloads.claim({ owner: 'w1/a', accounts: [held], now, leaseMs: LEASE, perAccount: 5 });
      const [first] = await claim(T0);
      expect(await store.mediaDownloads.release(claimOf(first), '503', T0 + 5_000, T0)).toBe(true);
      expect(await store.mediaDownloads.release(claimOf(first), 'again', T0 + 5_000, T0)).toBe(false);
      expect(await claim(T0 + 4_999)).toEqual([]);
      const [second] = await claim(T0 + 5_000);
      expect(second).toMatchObject({ attempts: 2, lastError: '503' });
      expect(await claim(T0 + 5_000 + LEASE - 1)).toEqual([]);
      const [third] = await claim(T0 + 5_000 + LEASE);
      expect(third).toMatchObject({ attempts: 3 });
      expect(await store.mediaDownloads.markFailed(claimOf(second), 'stale', T0)).toBe(false);
      expect(await store.mediaDownloads.markFailed(claimOf(third), 'too large', T0 + 6_000 + LEASE)).toBe(true);
      expect(await claim(T0 + 100 * LEASE)).toEqual([]);
      await store.close();
    });

    it("gives back an owner's claims at shutdown, the attempt not counted, and each item to one of racing claimers", async () => {
      const store = await make();
      const other = await store.reopen();
      const held = await heldAccount(store);
      for (let i = 0; i < 8; i++) await receiveImage(store, `m${i}`);
      const rounds = await Promise.all(
        Array.from({ length: 6 }, (_, i) => (i % 2 ? store : other).mediaDownloads.claim({ owner: 'w1/a', accounts: [held], now: T0, leaseMs: LEASE, perAccount: 3 })),
      );
      const ids = rounds.flat().map((item) => item.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(await store.mediaDownloads.releaseAll('w2/b', T0)).toBe(0);
      expect(await store.mediaDownloads.releaseAll('w1/a', T0)).toBe(ids.length);
      const again = await store.mediaDownloads.claim({ owner: 'w1/a', accounts: [held], now: T0, leaseMs: LEASE, perAccount: 8 });
      expect(again).toHaveLength(8);
      expect(again.every((item) => item.attempts === 1)).toBe(true);
      await other.close();
      await store.close();
    });

    it("goes with its account's purge: a re-created account has no download to claim", async () => {
      const store = await make();
      await heldAccount(store);
      await receiveImage(store, 'm1');
      expect(await store.accounts.delete('acc1', Date.now())).toBe(true);
      while ((await store.purges.purgeSome('acc1', 10)) > 0);
      const held = await heldAccount(store);
      expect(await store.mediaDownloads.claim({ owner: 'w1/a', accounts: [held], now: T0 + LEASE, leaseMs: LEASE, perAccount: 5 })).toEqual([]);
      await store.close();
    });
  });
}
