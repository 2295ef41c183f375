import { describe, expect, it } from 'vitest';
import { account } from '../support/sends';
import { MakeStoreFixture } from './store-fixture';

const LEASE = 30_000;

export function accountLeasesContract(make: MakeStoreFixture): void {
  describe('AccountRepository leases', () => {
    it('gives each unowned account to exactly one of several racing instances, bumping the epoch', async () => {
      const store = await make();
      const other = await store.reopen();
      for (let i = 0; i < 10; i++) await store.accounts.create(account(`acc${i}`));
      const now = Date.now();
      const [a, b, c] = await Promise.all([
        store.accounts.claimUnowned('w1/x', now, LEASE, 100),
        other.accounts.claimUnowned('w2/y', now, LEASE, 100),
        store.accounts.claimUnowned('w3/z', now, LEASE, 100),
      ]);
      const taken = [...a, ...b, ...c].map((r) => r.accountId).sort();
      expect(taken).toEqual(Array.from({ length: 10 }, (_, i) => `acc${i}`).sort());
      for (const claimed of [...a, ...b, ...c]) expect(claimed.ownerEpoch).toBe(1);
      await other.close();
      await store.close();
    });

    it('takes no more than the limit, and no logged-out account', async () => {
      const store = await make();
      for (let i = 0; i < 5; i++) await store.accounts.create(account(`acc${i}`));
      await store.accounts.create({ ...account('gone'), status: 'logged_out' });
      const first = await store.accounts.claimUnowned('w1/x', Date.now(), LEASE, 3);
      expect(first).toHaveLength(3);
      const rest = await store.accounts.claimUnowned('w2/y', Date.now(), LEASE, 10);
      expect(rest).toHaveLength(2);
      expect([...first, ...rest].map((r) => r.accountId).sort()).toEqual(['acc0', 'acc1', 'acc2', 'acc3', 'acc4']);
      expect([...first, ...rest].some((r) => r.accountId === 'gone')).toBe(false);
      await store.close();
    });

    it('renews only what is still held under the same epoch; an expired lease is taken over with a new epoch', async () => {
      const store = await make();
      await store.accounts.create(account('acc1'));
      const t0 = Date.now();
      const [held] = await store.accounts.claimUnowned('w1/old', t0, LEASE, 10);
      const holding = { accountId: 'acc1', owner: 'w1/old', ownerEpoch: held.ownerEpoch };
      expect(await store.accounts.renew([holding], t0 + 2 * LEASE)).toHaveLength(1);
      expect(await store.accounts.claimUnowned('w2/new', t0 + LEASE + 1, LEASE, 10)).toHaveLength(0);
      expect(await store.accounts.recordConnection(holding, { status: 'connected', qr: null, qrAt: null, updatedAt: t0 })).toBe(true);
      const [taken] = await store.accounts.claimUnowned('w2/new', t0 + 2 * LEASE + 1, LEASE, 10);
      // The dead holder's `connected` is no longer true: the new holder is only opening its socket.
      expect(taken).toMatchObject({ owner: 'w2/new', ownerEpoch: held.ownerEpoch + 1, status: 'connecting', qr: null });
      expect(await store.accounts.get('acc1')).toMatchObject({ status: 'connecting', qr: null, qrAt: null });
      expect(await store.accounts.renew([holding], t0 + 5 * LEASE)).toHaveLength(0);
      expect(await store.accounts.recordConnection(holding, { status: 'connected', updatedAt: t0 })).toBe(false);
      expect(await store.accounts.release(holding)).toBe(false);
      expect((await store.accounts.get('acc1'))!.owner).toBe('w2/new');
      await store.close();
    });

    it('releases a held account with its last state, so another instance can take it at once', async () => {
      const store = await make();
      await store.accounts.create(account('acc1'));
      const now = Date.now();
      const [held] = await store.accounts.claimUnowned('w1/a', now, LEASE, 10);
      const holding = { accountId: 'acc1', owner: 'w1/a', ownerEpoch: held.ownerEpoch };
      expect(await store.accounts.recordConnection(holding, { status: 'connected', phone: '40712345678', connectedAt: now, updatedAt: now })).toBe(true);
      expect(await store.accounts.release(holding, { status: 'disconnected', lastDisconnectReason: 'shutdown', updatedAt: now })).toBe(true);
      expect(await store.accounts.get('acc1')).toMatchObject({ owner: null, leaseUntil: null, status: 'disconnected', phone: '40712345678', lastDisconnectReason: 'shutdown' });
      expect(await store.accounts.claimUnowned('w2/b', now, LEASE, 10)).toHaveLength(1);
      await store.close();
    });

    it("keeps a pause for WhatsApp's limits on the record, fenced by the epoch, for the next holder to take over; the holder clears it", async () => {
      const store = await make();
      await store.accounts.create(account('acc1'));
      const now = Date.now();
      const [held] = await store.accounts.claimUnowned('w1/a', now, LEASE, 10);
      const holding = { accountId: 'acc1', owner: 'w1/a', ownerEpoch: held.ownerEpoch };
      expect(held).toMatchObject({ pausedUntil: null, pauseReason: null });
      expect(await store.accounts.recordConnection({ ...holding, ownerEpoch: held.ownerEpoch - 1 }, { pausedUntil: now + 1, pauseReason: 'rate_overlimit', updatedAt: now })).toBe(false);
      expect(await store.accounts.recordConnection(holding, { status: 'connected', updatedAt: now })).toBe(true);
      expect(await store.accounts.recordConnection(holding, { pausedUntil: now + 60_000, pauseReason: 'reach_out_locked', updatedAt: now })).toBe(true);
      expect(await store.accounts.release(holding, { status: 'disconnected', updatedAt: now })).toBe(true);
      const [next] = await store.accounts.claimUnowned('w2/b', now, LEASE, 10);
      expect(next).toMatchObject({ owner: 'w2/b', pausedUntil: now + 60_000, pauseReason: 'reach_out_locked' });
      const nextHolding = { accountId: 'acc1', owner: 'w2/b', ownerEpoch: next.ownerEpoch };
      expect(await store.accounts.recordConnection(nextHolding, { pausedUntil: null, pauseReason: null, updatedAt: now })).toBe(true);
      expect(await store.accounts.get('acc1')).toMatchObject({ pausedUntil: null, pauseReason: null });
      await store.close();
    });

    it('carries an operator request to the holder through its next renewal', async () => {
      const store = await make();
      const other = await store.reopen();
      await store.accounts.create(account('acc1'));
      const now = Date.now();
      const [held] = await store.accounts.claimUnowned('w1/a', now, LEASE, 10);
      expect(await other.accounts.requestAction('acc1', 'reconnect', now + 5)).toBe(true);
      const [renewed] = await store.accounts.renew([{ accountId: 'acc1', owner: 'w1/a', ownerEpoch: held.ownerEpoch }], now + LEASE);
      expect(renewed.reconnectRequestedAt).toBe(now + 5);
      expect(await other.accounts.requestAction('nobody', 'reset', now)).toBe(false);
      await other.close();
      await store.close();
    });

    it('carries a pairing request to the holder and its code back, fenced by the epoch; linking clears the code', async () => {
      const store = await make();
      const other = await store.reopen();
      await store.accounts.create(account('acc1'));
      const now = Date.now();
      const [held] = await store.accounts.claimUnowned('w1/a', now - LEASE, LEASE, 10);
      const stale = { accountId: 'acc1', owner: 'w1/a', ownerEpoch: held.ownerEpoch };
      const [taken] = await other.accounts.claimUnowned('w2/b', now, LEASE, 10);
      const holding = { accountId: 'acc1', owner: 'w2/b', ownerEpoch: taken.ownerEpoch };

      expect(await store.accounts.requestPairing('acc1', '40712345678', now + 1)).toBe(true);
      const [renewed] = await other.accounts.renew([holding], now + LEASE);
      expect(renewed).toMatchObject({ pairingPhone: '40712345678', pairingRequestedAt: now + 1, pairingCode: null, pairingCodeFor: null });
      expect(await store.accounts.recordConnection(stale, { pairingCode: 'STALE111', pairingCodeFor: now + 1, updatedAt: now + 2 })).toBe(false);
      expect(await other.accounts.recordConnection(holding, { pairingCode: 'ABCD1234', pairingCodeFor: now + 1, updatedAt: now + 2 })).toBe(true);
      expect(await store.accounts.get('acc1')).toMatchObject({ pairingCode: 'ABCD1234', pairingCodeFor: now + 1 });

      // A new request drops the answer to the old one; linking drops the code.
      expect(await store.accounts.requestPairing('acc1', '40799999999', now + 3)).toBe(true);
      expect(await store.accounts.get('acc1')).toMatchObject({ pairingPhone: '40799999999', pairingRequestedAt: now + 3, pairingCode: null, pairingCodeFor: null });
      await other.accounts.recordConnection(holding, { pairingCode: 'EFGH5678', pairingCodeFor: now + 3, updatedAt: now + 4 });
      await other.accounts.recordConnection(holding, { status: 'connected', pairingCode: null, updatedAt: now + 5 });
      expect(await store.accounts.get('acc1')).toMatchObject({ status: 'connected', pairingCode: null });
      expect(await store.accounts.requestPairing('nobody', '40712345678', now)).toBe(false);
      await other.close();
      await store.close();
    });
  });
}
