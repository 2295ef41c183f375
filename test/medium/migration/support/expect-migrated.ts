import { expect } from 'vitest';
import { legacyWaMessageId } from '../../../../src/migration/message-placement';
import { RELEASE_NOTE } from '../../../../src/migration/outbox-placement';
import { MigrationFixture } from './migration-fixtures';
import { EXPECTED_THREADS, LIVE } from './new-layout';
import { OLD, OLD_MESSAGES } from './old-layout';

const ALL = { limit: 200 };

/** Nothing of the old layout is left: no bare-JID thread, no request-keyed outbox item, no wa_accounts. */
export async function expectNoOldLayout(fixture: MigrationFixture): Promise<void> {
  const legacy = fixture.openLegacyStore();
  try {
    expect(await legacy.oldThreadIds()).toEqual([]);
    expect(await legacy.oldOutboxItems()).toEqual([]);
    expect(await legacy.legacyAccounts()).toEqual([]);
  } finally {
    await legacy.close();
  }
}

/**
 * Read through the app's own repositories: each account's threads hold exactly the expected messages
 * (every message once, in its own account's thread), each summary is its newest message, and each
 * message is found by its lookup (account, direction, WhatsApp id).
 */
export async function expectEveryMessageOnceInItsAccountsThread(fixture: MigrationFixture): Promise<void> {
  const { threads } = fixture.app;
  for (const [accountId, expected] of Object.entries(EXPECTED_THREADS)) {
    const listed = (await threads.listThreads(accountId, ALL)).items;
    expect(listed.map((t) => t.threadId).sort()).toEqual(Object.keys(expected).sort());
    for (const thread of listed) {
      const messages = (await threads.listMessages(thread.threadId, ALL)).items;
      expect(messages.map((m) => m.messageId).sort(), thread.threadId).toEqual([...expected[thread.threadId]].sort());
      for (const message of messages) {
        expect(message).toMatchObject({ accountId, threadId: thread.threadId, clientJid: thread.clientJid });
        expect((await threads.findByWaMessageId(accountId, message.direction, message.waMessageId))?.messageId).toBe(message.messageId);
      }
      const newest = messages[0];
      expect(thread, `summary of ${thread.threadId}`).toMatchObject({ lastMessageAt: newest.createdAt, lastMessageText: newest.text, lastMessageDirection: newest.direction });
    }
  }
}

/** Old statuses are trusted one step lower and marked uncertain; outbound seqs continue the live counter. */
export async function expectStatusesAndSeqs(fixture: MigrationFixture): Promise<void> {
  const { threads } = fixture.app;
  const mixed1 = 'acc1__40711111111@s.whatsapp.net';
  expect(await threads.getMessage(mixed1, 'm-out-1')).toMatchObject({ status: 'delivered', statusUncertain: true, sentAt: oldMessage('m-out-1').deliveredAt, deliveredAt: oldMessage('m-out-1').readAt, seq: 1 });
  expect((await threads.getMessage(mixed1, 'm-out-1'))?.readAt).toBeUndefined();
  expect(await threads.getMessage('acc2__40711111111@s.whatsapp.net', 'm-out-2')).toMatchObject({ status: 'sent', statusUncertain: true, seq: 1 });
  expect(await threads.getMessage(mixed1, 'm-out-3')).toMatchObject({ status: 'queued', seq: 2, waMessageId: legacyWaMessageId('acc1', 'm-out-3') });
  expect((await threads.getMessage(mixed1, 'm-out-3'))?.statusUncertain).toBeUndefined();
  expect(await threads.getMessage(mixed1, 'm-in-1')).toMatchObject({ direction: 'inbound', status: 'delivered' });
  // The merge target: the live send took seq 1, the migrated one gets the next.
  expect(await threads.getMessage(LIVE.mergeTarget, 'm-c-2')).toMatchObject({ status: 'sent', statusUncertain: true, seq: 2 });
  expect(await threads.getMessage(LIVE.mergeTarget, 'm-live')).toMatchObject({ seq: 1, status: 'queued' });
  expect(await threads.getThread(LIVE.mergeTarget)).toMatchObject({ lastMessageText: 'sent by the new code' });
  // The device thread's message was stored with `fromMe`, `body` and a seconds `timestamp` (Firestore).
  expect(await threads.getMessage('acc2__40733333333@s.whatsapp.net', 'm-d-1')).toMatchObject({ direction: 'inbound', text: 'from a linked device', createdAt: oldMessage('m-d-1').createdAt });
}

export async function expectOutboxMoved(fixture: MigrationFixture): Promise<void> {
  const { outbox, threads } = fixture.app;
  const released = await outbox.get('acc1', 'req-processing');
  expect(released).toMatchObject({
    id: 'acc1__req-processing',
    status: 'queued',
    claimedBy: null,
    leaseUntil: null,
    attempts: 1,
    lastError: RELEASE_NOTE,
    threadId: 'acc1__40711111111@s.whatsapp.net',
    messageRef: 'threads/acc1__40711111111@s.whatsapp.net/messages/m-out-3',
    waMessageId: legacyWaMessageId('acc1', 'm-out-3'),
    seq: 2,
  });
  expect(await outbox.get('acc2', 'req-queued')).toMatchObject({ status: 'queued', messageRef: 'threads/acc2__40711111111@s.whatsapp.net/messages/m-out-4', seq: 2 });
  expect(await outbox.get('acc1', 'req-queued-2')).toMatchObject({ status: 'queued', seq: 3 });
  expect(await outbox.get('acc1', 'req-sent')).toMatchObject({ status: 'sent', messageRef: `threads/${LIVE.mergeTarget}/messages/m-c-2`, endedAt: expect.any(Number) });
  for (const [accountId, requestId] of [['acc1', 'req-processing'], ['acc2', 'req-queued'], ['acc1', 'req-queued-2'], ['acc1', 'req-sent']]) {
    const item = (await outbox.get(accountId, requestId))!;
    const message = await threads.getMessage(item.threadId, item.messageId);
    expect(`threads/${item.threadId}/messages/${item.messageId}`).toBe(item.messageRef);
    expect(message, `${item.id} names its message`).toMatchObject({ accountId, waMessageId: item.waMessageId, seq: item.seq, direction: 'outbound' });
    expect(item.answer).toEqual({ requestId, messageId: item.messageId, threadId: item.threadId, waMessageId: item.waMessageId, status: 'queued' });
  }
}

export async function expectAccountsFolded(fixture: MigrationFixture): Promise<void> {
  const { accounts } = fixture.app;
  expect(await accounts.get('acc1')).toMatchObject({ name: 'Live name', phone: null }); // newer: untouched
  expect(await accounts.get('acc2')).toMatchObject({ name: 'Second', phone: '40700000002', status: 'disconnected', owner: null, ownerEpoch: 0 });
  expect(await accounts.get('acc3')).toMatchObject({ name: 'Third', phone: '40700000003', ownerEpoch: 0 }); // older: name and phone filled
}

/** Mid-way, at any interruption: each old message is still in its old place or already in its new one. */
export async function expectNoMessageLost(fixture: MigrationFixture): Promise<void> {
  const legacy = fixture.openLegacyStore();
  try {
    const found = new Set<string>();
    for (const oldThreadId of Object.values(OLD)) for (const m of await legacy.oldMessages(oldThreadId)) found.add(m.messageId);
    for (const expected of Object.values(EXPECTED_THREADS)) {
      for (const [threadId, ids] of Object.entries(expected)) for (const id of (await legacy.messages(threadId, ids)).keys()) found.add(id);
    }
    const lost = OLD_MESSAGES.filter((m) => m.messageId !== 'm-in-1-again' && !found.has(m.messageId)).map((m) => m.messageId);
    expect(lost).toEqual([]);
  } finally {
    await legacy.close();
  }
}

const oldMessage = (id: string) => OLD_MESSAGES.find((m) => m.messageId === id)!;
