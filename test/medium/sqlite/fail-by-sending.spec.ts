import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteAccountRepository } from '../../../src/accounts/sqlite/account.repository.sqlite';
import { SqliteThreadRepository } from '../../../src/messaging/sqlite/thread.repository.sqlite';
import { claimOf } from '../../../src/outbox/claim-rule';
import { SqliteOutboxRepository } from '../../../src/outbox/sqlite/outbox.repository.sqlite';
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store';
import { failureOf } from '../../../src/messaging/failure-reason';
import { acceptedSend, account } from '../../support/sends';
import { SqliteAccountSends } from '../../../src/outbox/sqlite/account-sends.sqlite';

const dir = mkdtempSync(join(tmpdir(), 'wa-rejected-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

async function heldStore() {
  const store = SqliteStore.open(join(dir, `s${++n}.db`));
  const accounts = new SqliteAccountRepository(store, new SqliteAccountSends(store));
  for (const id of ['acc1', 'acc2']) await accounts.create(account(id));
  const held = (await accounts.claimUnowned('w1/a', Date.now(), 3_600_000, 10)).map((a) => ({ accountId: a.accountId, ownerEpoch: a.ownerEpoch }));
  const outbox = new SqliteOutboxRepository(store);
  const claim = (perAccount = 10) => outbox.claim({ owner: 'w1/a', accounts: held, now: Date.now(), leaseMs: 60_000, perAccount });
  const statusOf = (id: string) => store.db.prepare('SELECT status, last_error, failure_reason FROM outbox WHERE id = ?').get(id);
  return { store, outbox, claim, statusOf };
}

// The outbox has no index on the WhatsApp id: a rejection finds its item through the message lookup.
describe('failBySending on sqlite', () => {
  it("ends the rejected send's open item, and no other item of its thread or of another account", async () => {
    const { store, outbox, claim, statusOf } = await heldStore();
    const first = (await outbox.accept(acceptedSend({ accountId: 'acc1', now: Date.now() - 1000 }))).item;
    const second = (await outbox.accept(acceptedSend({ accountId: 'acc1', now: Date.now() - 1000 }))).item;
    // Another account may hold a message under the same WhatsApp id: ids are only unique per account.
    const elsewhere = (await outbox.accept(acceptedSend({ accountId: 'acc2', waMessageId: first.waMessageId, now: Date.now() - 1000 }))).item;
    await claim(1);
    expect(await outbox.failBySending('acc1', first.waMessageId, failureOf('rejected', 'rejected by WhatsApp (code 463)'), Date.now())).toBe(true);
    expect(statusOf(first.id)).toEqual({ status: 'failed', last_error: 'rejected by WhatsApp (code 463)', failure_reason: 'rejected' });
    expect([statusOf(second.id), statusOf(elsewhere.id)]).toMatchObject([{ status: 'queued' }, { status: 'processing' }]);
    expect((await claim(1)).map((item) => item.id)).toEqual([second.id]);
    store.close();
  });

  it('changes nothing for an item already ended, an unknown id or an inbound message with that id', async () => {
    const { store, outbox, claim, statusOf } = await heldStore();
    const sent = (await outbox.accept(acceptedSend({ accountId: 'acc1', now: Date.now() - 1000 }))).item;
    const [claimed] = await claim();
    await outbox.markSent(claimOf(claimed), Date.now());
    const queued = (await outbox.accept(acceptedSend({ accountId: 'acc1', clientJid: '40700000009@s.whatsapp.net' }))).item;
    const threads = new SqliteThreadRepository(store);
    const now = Date.now();
    await threads.storeProviderMessage({
      threadId: queued.threadId, messageId: 'in-1', accountId: 'acc1', clientJid: queued.toJid, direction: 'inbound', text: 'hi',
      status: 'delivered', waMessageId: 'INBOUND1', createdAt: now, updatedAt: now,
    });
    expect(await outbox.failBySending('acc1', sent.waMessageId, failureOf('rejected', 'late rejection'), now)).toBe(false);
    expect(await outbox.failBySending('acc1', 'NEVERSENT', failureOf('rejected'), now)).toBe(false);
    expect(await outbox.failBySending('acc1', 'INBOUND1', failureOf('rejected'), now)).toBe(false);
    expect(await outbox.failBySending('acc2', queued.waMessageId, failureOf('rejected'), now)).toBe(false);
    expect([statusOf(sent.id), statusOf(queued.id)]).toMatchObject([{ status: 'sent' }, { status: 'queued', last_error: null, failure_reason: null }]);
    expect(await outbox.failBySending('acc1', queued.waMessageId, failureOf('rejected'), now)).toBe(true);
    expect(await outbox.failBySending('acc1', queued.waMessageId, failureOf('rejected'), now)).toBe(false);
    store.close();
  });
});
