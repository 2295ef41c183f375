import { describe, expect, it } from 'vitest';
import { AccountAlreadyExists } from '../../src/common/errors';
import { account } from '../support/sends';
import { MakeStoreFixture } from './store-fixture';

export function accountsContract(make: MakeStoreFixture): void {
  describe('AccountRepository', () => {
    it('creates, reads back and deletes an account', async () => {
      const store = await make();
      await store.accounts.create(account('acc1', 'Front desk'));
      expect(await store.accounts.get('acc1')).toMatchObject({ accountId: 'acc1', name: 'Front desk', status: 'disconnected', ownerEpoch: 0 });
      expect(await store.accounts.delete('acc1', Date.now())).toBe(true);
      expect(await store.accounts.get('acc1')).toBeUndefined();
      expect(await store.accounts.delete('acc1', Date.now())).toBe(false);
      await store.close();
    });

    it('refuses a second account with the same id, also from another connection at the same time', async () => {
      const store = await make();
      const other = await store.reopen();
      const results = await Promise.allSettled([store.accounts.create(account('dup', 'a')), other.accounts.create(account('dup', 'b'))]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(rejected.reason).toBeInstanceOf(AccountAlreadyExists);
      await other.close();
      await store.close();
    });

    it('lists accounts by id in keyset pages', async () => {
      const store = await make();
      for (const id of ['c', 'a', 'e', 'b', 'd']) await store.accounts.create(account(id));
      const first = await store.accounts.list({ limit: 2 });
      expect(first.items.map((a) => a.accountId)).toEqual(['a', 'b']);
      const { decodeCursor } = await import('../../src/common/page');
      const second = await store.accounts.list({ limit: 2, after: decodeCursor(first.nextCursor!, { key: 'none', isId: () => true }) });
      expect(second.items.map((a) => a.accountId)).toEqual(['c', 'd']);
      const third = await store.accounts.list({ limit: 2, after: decodeCursor(second.nextCursor!, { key: 'none', isId: () => true }) });
      expect(third.items.map((a) => a.accountId)).toEqual(['e']);
      expect(third.nextCursor).toBeNull();
      await store.close();
    });
  });
}
