import { Timestamp } from 'firebase-admin/firestore';
import { expect, it } from 'vitest';
import { claimOf } from '../../../src/outbox/claim-rule';
import { OutboxItem } from '../../../src/outbox/outbox-item';
import { FirestoreFixture, describeOnFirestoreEmulator, firestoreFixtures } from '../../support/firestore-emulator';
import { failureOf } from '../../../src/messaging/failure-reason';
import { acceptedSend, account } from '../../support/sends';

const SEVEN_DAYS_MS = 7 * 24 * 60 * 60 * 1000;
const LEASE = 60_000;

/** A store with `acc1` held by `w1/a`, and a claim round for it. */
async function heldStore(make: () => Promise<FirestoreFixture>) {
  const store = await make();
  await store.accounts.create(account('acc1'));
  const held = (await store.accounts.claimUnowned('w1/a', Date.now(), 3_600_000, 10)).map((a) => ({ accountId: a.accountId, ownerEpoch: a.ownerEpoch }));
  const claim = async (perAccount = 10) => store.outbox.claim({ owner: 'w1/a', accounts: held, now: Date.now(), leaseMs: LEASE, perAccount });
  const accept = async (to: string) => (await store.outbox.accept(acceptedSend({ accountId: 'acc1', clientJid: `${to}@s.whatsapp.net`, now: Date.now() - 1000 }))).item;
  return { store, claim, accept };
}

/** The retention fields as stored: what Firestore's TTL policy reads. */
async function retention(store: FirestoreFixture, item: OutboxItem): Promise<{ endedAt?: Timestamp | null; expireAt?: Timestamp }> {
  const doc = await store.db.doc(`outbox/${item.id}`).get();
  return { endedAt: doc.get('endedAt') as Timestamp | null | undefined, expireAt: doc.get('expireAt') as Timestamp | undefined };
}

async function expectKeptSevenDays(store: FirestoreFixture, item: OutboxItem): Promise<void> {
  const { endedAt, expireAt } = await retention(store, item);
  expect(endedAt, `${item.id} has ended`).toBeInstanceOf(Timestamp);
  expect(expireAt, `${item.id} carries expireAt`).toBeInstanceOf(Timestamp);
  expect(expireAt!.toMillis()).toBeGreaterThanOrEqual(endedAt!.toMillis() + SEVEN_DAYS_MS);
}

// CONTRACT: an outbox item is "kept at least 7 days after it ends". Firestore's TTL policy deletes a doc
// once its `expireAt` has passed (firestore.indexes.json), so every write that ends an item sets it, and
// no open item carries one.
describeOnFirestoreEmulator('outbox retention under the TTL policy', (host) => {
  const make = firestoreFixtures(host);

  it('gives an item sent, failed for good, or failed by WhatsApp an expireAt 7 days or more after its end', async () => {
    const { store, claim, accept } = await heldStore(make);
    const [sent, failed, rejected] = [await accept('40700000001'), await accept('40700000002'), await accept('40700000003')];
    const claims = new Map((await claim()).map((item) => [item.id, claimOf(item)]));
    expect(await store.outbox.markSent(claims.get(sent.id)!, Date.now())).toBe(true);
    expect(await store.outbox.markFailed(claims.get(failed.id)!, failureOf('rejected', 'recipient not on WhatsApp'), Date.now())).toBe(true);
    expect(await store.outbox.failBySending('acc1', rejected.waMessageId, failureOf('rejected', 'rejected by WhatsApp (code 463)'), Date.now())).toBe(true);
    for (const item of [sent, failed, rejected]) await expectKeptSevenDays(store, item);
    await store.close();
  });

  it('gives every item a logout fails an expireAt 7 days or more after its end', async () => {
    const { store, claim, accept } = await heldStore(make);
    const waiting = [await accept('40700000001'), await accept('40700000001'), await accept('40700000002')];
    await claim(1);
    expect(await store.accountSends.failWaiting('acc1', 'loggedOut', Date.now())).toBe(3);
    for (const item of waiting) await expectKeptSevenDays(store, item);
    await store.close();
  });

  it('leaves queued, claimed and released items without expireAt, so TTL never deletes an open item', async () => {
    const { store, claim, accept } = await heldStore(make);
    const queued = await accept('40700000001');
    const claimed = await accept('40700000002');
    expect(await retention(store, queued)).toEqual({ endedAt: null, expireAt: undefined });
    const [first] = (await claim()).filter((item) => item.id === claimed.id);
    expect(await retention(store, claimed)).toEqual({ endedAt: null, expireAt: undefined });
    await store.outbox.release(claimOf(first), 'timeout', Date.now() + 60_000, Date.now());
    expect(await retention(store, claimed)).toEqual({ endedAt: null, expireAt: undefined });
    expect(await store.outbox.get('acc1', claimed.requestId)).not.toHaveProperty('expireAt');
    await store.close();
  });
});
