import { expect, it } from 'vitest';
import { describeOnFirestoreEmulator, firestoreFixtures } from '../../support/firestore-emulator';
import { account } from '../../support/sends';

// A socket reports `connecting` then `open` in quick succession, and each is recorded without waiting
// for the one before. Three processes on the emulator once left half their accounts shown `connecting`
// while their sockets were open: the two conditioned writes retried in the wrong order.
describeOnFirestoreEmulator("the holder's writes to its account doc", (host) => {
  const make = firestoreFixtures(host);

  it('land in the order they were made, even when none waits for the last', async () => {
    const store = await make();
    const ids = Array.from({ length: 10 }, (_, i) => `acc${i}`);
    for (const id of ids) await store.accounts.create(account(id));
    const holdings = (await store.accounts.claimUnowned('w1/a', Date.now(), 3_600_000, 100)).map((a) => ({ accountId: a.accountId, owner: 'w1/a', ownerEpoch: a.ownerEpoch }));
    const now = Date.now();
    const written = holdings.flatMap((holding) => [
      store.accounts.recordConnection(holding, { status: 'connecting', updatedAt: now }),
      store.accounts.recordConnection(holding, { status: 'connected', connectedAt: now + 1, updatedAt: now + 1 }),
    ]);
    expect(await Promise.all(written)).toEqual(written.map(() => true));
    const statuses = await Promise.all(ids.map(async (id) => (await store.accounts.get(id))!.status));
    expect(statuses).toEqual(ids.map(() => 'connected'));
    await store.close();
  });
});
