import { describe, expect, it } from 'vitest';
import { claimOf } from '../../src/outbox/claim-rule';
import { acceptedSend, account } from '../support/sends';
import { MakeStoreFixture } from './store-fixture';

/** The counts read at each metrics scrape: the open queue by status, and every account status. */
export function scrapeCountsContract(make: MakeStoreFixture): void {
  describe('scrape-time counts', () => {
    it('counts open outbox items by status (ended ones are not counted) and accounts by status, zeros included', async () => {
      const store = await make();
      for (const id of ['c1', 'c2', 'c3']) await store.accounts.create(account(id));
      const held = await store.accounts.claimUnowned('w1/a', Date.now(), 3_600_000, 2);
      const c1 = held.find((a) => a.accountId === 'c1')!;
      const c2 = held.find((a) => a.accountId === 'c2')!;
      await store.accounts.recordConnection({ accountId: 'c1', owner: 'w1/a', ownerEpoch: c1.ownerEpoch }, { status: 'connected', updatedAt: Date.now() });
      await store.accounts.recordConnection({ accountId: 'c2', owner: 'w1/a', ownerEpoch: c2.ownerEpoch }, { status: 'qr', updatedAt: Date.now() });
      for (const jid of ['40711000001', '40711000002', '40711000003']) await store.outbox.accept(acceptedSend({ accountId: 'c1', clientJid: `${jid}@s.whatsapp.net`, now: Date.now() - 1000 }));
      await store.outbox.accept(acceptedSend({ accountId: 'c2', now: Date.now() - 1000 }));
      await store.outbox.claim({ owner: 'w1/a', accounts: [{ accountId: 'c1', ownerEpoch: c1.ownerEpoch }], now: Date.now(), leaseMs: 60_000, perAccount: 1 });
      const [sent] = await store.outbox.claim({ owner: 'w1/a', accounts: [{ accountId: 'c2', ownerEpoch: c2.ownerEpoch }], now: Date.now(), leaseMs: 60_000, perAccount: 1 });
      await store.outbox.markSent(claimOf(sent), Date.now());

      expect(await store.outbox.countOpen()).toEqual({ queued: 2, processing: 1 });
      expect(await store.accounts.countByStatus()).toEqual({ connecting: 0, qr: 1, connected: 1, disconnected: 1, logged_out: 0 });
      await store.close();
    });
  });
}
