import { describe, expect, it } from 'vitest';
import { AccountKey, keyHash, keyIdOf, newAccountKey } from '../../src/access/account-key';
import { MakeStoreFixture } from './store-fixture';

const T0 = Date.UTC(2026, 11, 3, 10, 0, 0);

function accountKey(fields: Partial<AccountKey> = {}, at = T0): AccountKey {
  return { ...newAccountKey({ name: 'shop bot', accountIds: ['acc1'], scopes: ['send'] }, at).record, ...fields };
}

export function accountKeysContract(make: MakeStoreFixture): void {
  describe('AccountKeyRepository', () => {
    it('keeps a key as created, its hash and never the key, and lists keys oldest first', async () => {
      const store = await make();
      const made = newAccountKey({ name: 'support desk', accountIds: ['acc1', 'acc2_'], scopes: ['read', 'manage'] }, T0 + 1);
      const first = accountKey();
      await store.accessKeys.create(made.record);
      await store.accessKeys.create(first);
      const kept = await store.accessKeys.get(made.record.keyId);
      expect(kept).toEqual({ keyId: keyIdOf(made.key), name: 'support desk', accountIds: ['acc1', 'acc2_'], scopes: ['read', 'manage'], hash: keyHash(made.key), createdAt: T0 + 1 });
      expect(JSON.stringify(await store.accessKeys.list())).not.toContain(made.key.slice(-43));
      expect(await store.accessKeys.list()).toEqual([first, made.record]);
      expect(await store.accessKeys.get('key_AAAAAAAAAAAAAAAA')).toBeNull();
      await store.close();
    });

    it('shows a key created on one connection to another, and a deletion too', async () => {
      const store = await make();
      const other = await store.reopen();
      const created = accountKey();
      await store.accessKeys.create(created);
      expect(await other.accessKeys.get(created.keyId)).toEqual(created);
      expect(await other.accessKeys.delete(created.keyId)).toBe(true);
      expect(await store.accessKeys.get(created.keyId)).toBeNull();
      expect(await store.accessKeys.delete(created.keyId)).toBe(false);
      expect(await store.accessKeys.list()).toEqual([]);
      await other.close();
      await store.close();
    });

    it("removes a deleted account from every key's list, deleting a key left with none, never touching another id", async () => {
      const store = await make();
      const shared = accountKey({ accountIds: ['acc1', 'acc2'] });
      const only = accountKey({ accountIds: ['acc1'] });
      const underscored = accountKey({ accountIds: ['acc1_'] });
      for (const key of [shared, only, underscored]) await store.accessKeys.create(key);
      expect(await store.accessKeys.removeAccount('acc1')).toBe(2);
      expect(await store.accessKeys.get(shared.keyId)).toEqual({ ...shared, accountIds: ['acc2'] });
      expect(await store.accessKeys.get(only.keyId)).toBeNull();
      expect(await store.accessKeys.get(underscored.keyId)).toEqual(underscored);
      expect(await store.accessKeys.removeAccount('ghost')).toBe(0);
      await store.close();
    });

    it('keeps both removals when two connections remove two accounts of one key at once', async () => {
      const store = await make();
      const other = await store.reopen();
      const created = accountKey({ accountIds: ['acc1', 'acc2', 'acc3'] });
      await store.accessKeys.create(created);
      await Promise.all([store.accessKeys.removeAccount('acc1'), other.accessKeys.removeAccount('acc2')]);
      expect((await store.accessKeys.get(created.keyId))!.accountIds).toEqual(['acc3']);
      await other.close();
      await store.close();
    });
  });
}
