import { describe, expect, it } from 'vitest';
import { AccountEnding } from '../../src/accounts/account.repository';
import { AccountBeingPurged, AccountLoggedOut } from '../../src/common/errors';
import { acceptedSend, account } from '../support/sends';
import { MakeStoreFixture, StoreFixture } from './store-fixture';

const LEASE = 30_000;

async function held(store: StoreFixture, accountId: string, owner: string, now = Date.now()) {
  const [taken] = await store.accounts.claimUnowned(owner, now, LEASE, 10);
  return { accountId, owner, ownerEpoch: taken.ownerEpoch };
}

function resetEnding(now: number, resetRequestedAt: number | null): AccountEnding {
  return { reason: 'accountReset', patch: { status: 'disconnected', lastDisconnectReason: 'accountReset', phone: null, updatedAt: now }, release: false, resetRequestedAt };
}

export function accountLifecycleContract(make: MakeStoreFixture): void {
  describe('AccountRepository lifecycle: phones, fenced endings, operator requests, purges', () => {
    it('refuses a send to a logged-out account inside the accept write, and binds an accepted one to the linked phone', async () => {
      const store = await make();
      await store.accounts.create({ ...account('gone'), status: 'logged_out', phone: '40711111111' });
      const refused = acceptedSend({ accountId: 'gone' });
      await expect(store.outbox.accept(refused)).rejects.toBeInstanceOf(AccountLoggedOut);
      expect(await store.outbox.get('gone', refused.requestId)).toBeUndefined();
      expect(await store.threads.getThread(refused.threadId)).toBeUndefined();

      await store.accounts.create({ ...account('linked'), phone: '40711111111' });
      await store.accounts.create(account('never'));
      const bound = await store.outbox.accept(acceptedSend({ accountId: 'linked' }));
      const unbound = await store.outbox.accept(acceptedSend({ accountId: 'never' }));
      expect((await store.outbox.get('linked', bound.item.requestId))!.boundPhone).toBe('40711111111');
      expect((await store.outbox.get('never', unbound.item.requestId))!.boundPhone).toBeNull();
      await store.close();
    });

    it('ends an account only under the current holding: a stale epoch clears no session and fails nothing', async () => {
      const store = await make();
      const other = await store.reopen();
      await store.accounts.create({ ...account('acc1'), phone: '40711111111' });
      const t0 = Date.now();
      const stale = await held(store, 'acc1', 'w1/old', t0 - 2 * LEASE);
      const current = await held(other, 'acc1', 'w2/new', t0);
      await other.sessions.write(current, new Map([['creds', '{"new":true}']]));
      const waiting = await other.outbox.accept(acceptedSend({ accountId: 'acc1' }));
      expect(await store.accounts.requestAction('acc1', 'reset', t0 + 1)).toBe(true);

      expect(await store.accounts.end(stale, resetEnding(t0 + 2, t0 + 1))).toBe(false);
      expect((await store.sessions.read('acc1', ['creds'])).get('creds')).toBe('{"new":true}');
      expect((await store.outbox.get('acc1', waiting.item.requestId))!.status).toBe('queued');
      expect(await store.accounts.get('acc1')).toMatchObject({ phone: '40711111111', resetRequestedAt: t0 + 1, resetDoneFor: null, owner: 'w2/new' });

      expect(await other.accounts.end(current, resetEnding(t0 + 3, t0 + 1))).toBe(true);
      expect((await store.sessions.read('acc1', ['creds'])).size).toBe(0);
      expect(await store.outbox.get('acc1', waiting.item.requestId)).toMatchObject({ status: 'failed', failureReason: 'accountReset' });
      expect(await store.threads.getMessage(waiting.item.threadId, waiting.item.messageId)).toMatchObject({ status: 'failed', failureReason: 'accountReset' });
      // After a reset the account counts as never linked, and the request is done.
      expect(await store.accounts.get('acc1')).toMatchObject({ phone: null, status: 'disconnected', resetDoneFor: t0 + 1, owner: 'w2/new' });
      await other.close();
      await store.close();
    });

    it('ends a logout by giving up the lease in the same write', async () => {
      const store = await make();
      await store.accounts.create(account('acc1'));
      const holding = await held(store, 'acc1', 'w1/a');
      const now = Date.now();
      const ending: AccountEnding = { reason: 'loggedOut', patch: { status: 'logged_out', updatedAt: now }, release: true, resetRequestedAt: null };
      expect(await store.accounts.end(holding, ending)).toBe(true);
      expect(await store.accounts.get('acc1')).toMatchObject({ status: 'logged_out', owner: null, leaseUntil: null });
      expect(await store.accounts.end(holding, ending)).toBe(false);
      await store.close();
    });

    it('keeps an operator request pending until its holder records it done; a new holder taking the account performs a pending reconnect', async () => {
      const store = await make();
      await store.accounts.create(account('acc1'));
      const t0 = Date.now();
      const first = await held(store, 'acc1', 'w1/a', t0 - 2 * LEASE);
      expect(await store.accounts.requestAction('acc1', 'reconnect', t0 + 1)).toBe(true);
      expect(await store.accounts.get('acc1')).toMatchObject({ reconnectRequestedAt: t0 + 1, reconnectDoneFor: null });
      const [taken] = await store.accounts.claimUnowned('w2/b', t0, LEASE, 10);
      expect(taken).toMatchObject({ owner: 'w2/b', reconnectRequestedAt: t0 + 1, reconnectDoneFor: t0 + 1 });

      const second = { accountId: 'acc1', owner: 'w2/b', ownerEpoch: taken.ownerEpoch };
      expect(await store.accounts.requestAction('acc1', 'reconnect', t0 + 2)).toBe(true);
      expect(await store.accounts.completeRequest(first, 'reconnect', t0 + 2)).toBe(false);
      expect((await store.accounts.get('acc1'))!.reconnectDoneFor).toBe(t0 + 1);
      expect(await store.accounts.completeRequest(second, 'reconnect', t0 + 2)).toBe(true);
      expect((await store.accounts.get('acc1'))!.reconnectDoneFor).toBe(t0 + 2);
      await store.close();
    });

    it('purges a deleted account in bounded batches, refuses its id until done, and a re-created id starts empty', async () => {
      const store = await make();
      await store.accounts.create(account('acc'));
      // An id that extends the deleted one: nothing of it may go.
      await store.accounts.create(account('acc_'));
      const sends = [];
      for (let i = 0; i < 3; i++) sends.push((await store.outbox.accept(acceptedSend({ accountId: 'acc', clientJid: `4071000000${i}@s.whatsapp.net` }))).item);
      const kept = (await store.outbox.accept(acceptedSend({ accountId: 'acc_' }))).item;
      await store.aliases.remember('acc', '123@lid', '40710000000@s.whatsapp.net', 1);
      await store.aliases.remember('acc_', '123@lid', '40710000000@s.whatsapp.net', 1);

      expect(await store.accounts.delete('acc', Date.now())).toBe(true);
      expect(await store.purges.pending(10)).toEqual(['acc']);
      await expect(store.accounts.create(account('acc'))).rejects.toBeInstanceOf(AccountBeingPurged);
      let steps = 0;
      while ((await store.purges.purgeSome('acc', 2)) > 0) steps++;
      // 3 outbox items, 3 lookups, 1 alias, 3 messages, 3 threads, at most 2 a step.
      expect(steps).toBeGreaterThanOrEqual(7);
      expect(await store.purges.pending(10)).toEqual([]);

      await store.accounts.create(account('acc'));
      expect((await store.threads.listThreads('acc', { limit: 50 })).items).toEqual([]);
      for (const item of sends) {
        expect(await store.threads.getThread(item.threadId)).toBeUndefined();
        expect(await store.threads.findByWaMessageId('acc', 'outbound', item.waMessageId)).toBeUndefined();
        expect(await store.outbox.get('acc', item.requestId)).toBeUndefined();
      }
      expect(await store.aliases.pnOf('acc', '123@lid')).toBeUndefined();
      // The same request id is a new send on the new account.
      expect((await store.outbox.accept({ ...acceptedSend({ accountId: 'acc' }), requestId: sends[0].requestId })).kind).toBe('accepted');

      expect(await store.outbox.get('acc_', kept.requestId)).toBeDefined();
      expect(await store.threads.getMessage(kept.threadId, kept.messageId)).toBeDefined();
      expect(await store.aliases.pnOf('acc_', '123@lid')).toBe('40710000000@s.whatsapp.net');
      await store.close();
    });
  });
}
