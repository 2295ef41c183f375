import { describe, expect, it } from 'vitest';
import { SessionFenced } from '../../src/accounts/session.repository';
import { account } from '../support/sends';
import { MakeStoreFixture, StoreFixture } from './store-fixture';

async function heldAccount(store: StoreFixture, accountId: string, owner = 'w1/a') {
  await store.accounts.create(account(accountId));
  const [held] = await store.accounts.claimUnowned(owner, Date.now(), 30_000, 100);
  return { accountId, owner, ownerEpoch: held.ownerEpoch };
}

export function sessionsContract(make: MakeStoreFixture): void {
  describe('SessionRepository', () => {
    it('round-trips values, deletes keys set to null, and keeps accounts apart', async () => {
      const store = await make();
      const a = await heldAccount(store, 'acc1');
      const b = await heldAccount(store, 'acc2');
      await store.sessions.write(a, new Map([['creds', '{"me":"a"}'], ['pre-key-1', '{"k":1}']]));
      await store.sessions.write(b, new Map([['creds', '{"me":"b"}']]));
      await store.sessions.write(a, new Map([['pre-key-1', null]]));
      expect(Object.fromEntries(await store.sessions.read('acc1', ['creds', 'pre-key-1']))).toEqual({ creds: '{"me":"a"}' });
      expect(Object.fromEntries(await store.sessions.read('acc2', ['creds', 'pre-key-1']))).toEqual({ creds: '{"me":"b"}' });
      await store.sessions.clear('acc1');
      expect((await store.sessions.read('acc1', ['creds'])).size).toBe(0);
      expect((await store.sessions.read('acc2', ['creds'])).size).toBe(1);
      await store.close();
    });

    it('loses none of 100 concurrent key writes', async () => {
      const store = await make();
      const holding = await heldAccount(store, 'acc1');
      const keys = Array.from({ length: 100 }, (_, i) => `session-${i}`);
      await Promise.all(keys.map((key, i) => store.sessions.write(holding, new Map([[key, JSON.stringify({ i })]]))));
      const stored = await store.sessions.read('acc1', keys);
      expect(stored.size).toBe(100);
      expect(stored.get('session-42')).toBe('{"i":42}');
      await store.close();
    });

    it("refuses a write from an instance that lost the account, leaving the new owner's session intact", async () => {
      const store = await make();
      const stale = await heldAccount(store, 'acc1', 'w1/old');
      const [taken] = await store.accounts.claimUnowned('w2/new', Date.now() + 60_000, 30_000, 10);
      const current = { accountId: 'acc1', owner: 'w2/new', ownerEpoch: taken.ownerEpoch };
      await store.sessions.write(current, new Map([['creds', '{"owner":"new"}']]));
      await expect(store.sessions.write(stale, new Map([['creds', '{"owner":"old"}']]))).rejects.toBeInstanceOf(SessionFenced);
      expect((await store.sessions.read('acc1', ['creds'])).get('creds')).toBe('{"owner":"new"}');
      await store.close();
    });
  });
}
