import { expect, it } from 'vitest';
import { MessageRecord } from '../../../src/messaging/message';
import { claimOf } from '../../../src/outbox/claim-rule';
import { FirestoreFixture, describeOnFirestoreEmulator, firestoreFixtures } from '../../support/firestore-emulator';
import { acceptedSend, account } from '../../support/sends';

const CLIENT = '40712345678@s.whatsapp.net';
const THREAD = `acc1__${CLIENT}`;

function inbound(waMessageId: string, messageId: string, createdAt: number, text = 'hi'): MessageRecord {
  return { threadId: THREAD, messageId, accountId: 'acc1', clientJid: CLIENT, direction: 'inbound', text, status: 'delivered', waMessageId, createdAt, updatedAt: createdAt };
}

async function messagesIn(store: FirestoreFixture): Promise<string[]> {
  return (await store.threads.listMessages(THREAD, { limit: 50 })).items.map((m) => m.text ?? '');
}

// The operations bench/firestore-ops.mjs showed could go, gone without giving up a promise: an inbound
// message is stored without a transaction, and a thread's last item ends without a query for its next.
describeOnFirestoreEmulator('the firestore adapters with fewer operations', (host) => {
  const make = firestoreFixtures(host);

  it('stores a message WhatsApp delivers to two machines at once exactly once', async () => {
    const store = await make();
    const other = await store.reopen();
    const outcomes = await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 ? other : store).threads.storeProviderMessage(inbound('WA1', `copy${i}`, 1_000))));
    expect(outcomes.filter((o) => o === 'stored')).toHaveLength(1);
    expect(await messagesIn(store)).toEqual(['hi']);
    const stored = await store.threads.findByWaMessageId('acc1', 'inbound', 'WA1');
    expect(stored?.messageId).toBe(`copy${outcomes.indexOf('stored')}`);
    await other.close();
    await store.close();
  });

  it('keeps the summary on the newest message while inbound messages and sends race on one thread', async () => {
    const store = await make();
    const other = await store.reopen();
    await store.accounts.create(account('acc1'));
    const now = Date.now();
    const sends = Array.from({ length: 3 }, (_, i) => acceptedSend({ accountId: 'acc1', clientJid: CLIENT, text: `out${i}`, now: now + i }));
    await Promise.all([
      ...sends.map((send) => other.outbox.accept(send)),
      ...[0, 1, 2].map((i) => store.threads.storeProviderMessage(inbound(`IN${i}`, `in${i}`, now + 10 + i, `in${i}`))),
    ]);
    expect((await messagesIn(store)).sort()).toEqual(['in0', 'in1', 'in2', 'out0', 'out1', 'out2']);
    expect(await store.threads.getThread(THREAD)).toMatchObject({ lastMessageText: 'in2', lastMessageDirection: 'inbound' });
    const seqs = await Promise.all(sends.map(async (send) => (await store.outbox.get('acc1', send.requestId))!.seq));
    expect(seqs.sort()).toEqual([1, 2, 3]);
    await other.close();
    await store.close();
  });

  it("frees a thread when its only item ends, and gives the turn to the next send", async () => {
    const store = await make();
    await store.accounts.create(account('acc1'));
    const held = (await store.accounts.claimUnowned('w1/a', Date.now(), 3_600_000, 10)).map((a) => ({ accountId: a.accountId, ownerEpoch: a.ownerEpoch }));
    const claim = () => store.outbox.claim({ owner: 'w1/a', accounts: held, now: Date.now(), leaseMs: 60_000, perAccount: 10 });
    const head = async () => (await store.db.doc(`threads/${THREAD}`).get()).get('outboxHeadSeq');
    for (const text of ['first', 'second']) {
      const item = (await store.outbox.accept(acceptedSend({ accountId: 'acc1', clientJid: CLIENT, text, now: Date.now() - 1000 }))).item;
      expect(await head()).toBe(item.seq);
      const [claimed] = await claim();
      expect(claimed.id).toBe(item.id);
      expect(await store.outbox.markSent(claimOf(claimed), Date.now())).toBe(true);
      expect(await head()).toBeNull();
    }
    await store.close();
  });
});
