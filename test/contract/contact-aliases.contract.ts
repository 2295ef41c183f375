import { describe, expect, it } from 'vitest';
import { MakeStoreFixture } from './store-fixture';

const LID = '123456789012345@lid';
const PN = '40712345678@s.whatsapp.net';
const OTHER_PN = '40799999999@s.whatsapp.net';

export function contactAliasesContract(make: MakeStoreFixture): void {
  describe('ContactAliasRepository', () => {
    it('pairs a LID with its phone number, found from either side', async () => {
      const store = await make();
      await store.aliases.remember('acc1', LID, PN, 1);
      expect(await store.aliases.pnOf('acc1', LID)).toBe(PN);
      expect(await store.aliases.lidOf('acc1', PN)).toBe(LID);
      await store.close();
    });

    it('answers nothing for a contact never paired', async () => {
      const store = await make();
      await store.aliases.remember('acc1', LID, PN, 1);
      expect(await store.aliases.pnOf('acc1', '999999999999999@lid')).toBeUndefined();
      expect(await store.aliases.lidOf('acc1', OTHER_PN)).toBeUndefined();
      await store.close();
    });

    it('keeps the first phone number of a LID: a later pairing, or the same one again, changes nothing', async () => {
      const store = await make();
      await store.aliases.remember('acc1', LID, PN, 1);
      await store.aliases.remember('acc1', LID, OTHER_PN, 2);
      await store.aliases.remember('acc1', LID, PN, 3);
      expect(await store.aliases.pnOf('acc1', LID)).toBe(PN);
      expect(await store.aliases.lidOf('acc1', PN)).toBe(LID);
      expect(await store.aliases.lidOf('acc1', OTHER_PN)).toBeUndefined();
      await store.close();
    });

    it("never answers with another account's pair, for ids that only differ by a trailing '_' too", async () => {
      const store = await make();
      await store.aliases.remember('acme', LID, PN, 1);
      await store.aliases.remember('acme_', LID, OTHER_PN, 1);
      expect(await store.aliases.pnOf('acme', LID)).toBe(PN);
      expect(await store.aliases.pnOf('acme_', LID)).toBe(OTHER_PN);
      expect(await store.aliases.lidOf('acme', OTHER_PN)).toBeUndefined();
      expect(await store.aliases.lidOf('acme_', PN)).toBeUndefined();
      for (const stranger of ['acm', 'acme__', 'acme_x']) {
        expect(await store.aliases.pnOf(stranger, LID)).toBeUndefined();
        expect(await store.aliases.lidOf(stranger, PN)).toBeUndefined();
      }
      await store.close();
    });

    it('keeps one phone number for a LID that two connections pair at once with different ones', async () => {
      const store = await make();
      const other = await store.reopen();
      const candidates = [PN, OTHER_PN];
      await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? other : store).aliases.remember('acc1', LID, candidates[i % 2], i)));
      const kept = await store.aliases.pnOf('acc1', LID);
      expect(candidates).toContain(kept);
      expect(await other.aliases.pnOf('acc1', LID)).toBe(kept);
      expect(await store.aliases.lidOf('acc1', kept!)).toBe(LID);
      expect(await store.aliases.lidOf('acc1', candidates.find((pn) => pn !== kept)!)).toBeUndefined();
      await other.close();
      await store.close();
    });
  });
}
