import { newAccount } from '../../../../src/accounts/account';
import { AccountRepository } from '../../../../src/accounts/account.repository';
import { threadIdOf } from '../../../../src/common/jid';
import { ThreadRepository } from '../../../../src/messaging/thread.repository';
import { OutboxRepository } from '../../../../src/outbox/outbox.repository';
import { acceptedSend } from '../../../support/sends';
import { T0 } from './old-layout';

/** The app's own repositories on the migrated store: what the new code will read. */
export interface AppRepositories {
  accounts: AccountRepository;
  threads: ThreadRepository;
  outbox: OutboxRepository;
}

export const LIVE_T = Date.UTC(2026, 0, 1);

/** The new code ran before the migration: acc1 sent to the c.us client, and has a thread the old code never knew. */
export const LIVE = {
  mergeTarget: threadIdOf('acc1', '40722222222@s.whatsapp.net'),
  untouched: threadIdOf('acc1', '40799999999@s.whatsapp.net'),
  /** Marks every doc or row of the untouched thread in a store dump. */
  untouchedMark: /40799999999|req-new/,
};

export async function seedNewLayout({ accounts, threads, outbox }: AppRepositories): Promise<void> {
  await accounts.create(newAccount('acc1', 'Live name', LIVE_T));
  await accounts.create(newAccount('acc3', null, LIVE_T));
  await outbox.accept(acceptedSend({ accountId: 'acc1', clientJid: '40722222222@s.whatsapp.net', requestId: 'req-live', messageId: 'm-live', text: 'sent by the new code', now: T0 + 9000 }));
  await threads.storeProviderMessage({
    threadId: LIVE.untouched,
    messageId: 'm-new-in',
    accountId: 'acc1',
    clientJid: '40799999999@s.whatsapp.net',
    direction: 'inbound',
    text: 'new layout inbound',
    status: 'delivered',
    waMessageId: 'WANEW1',
    createdAt: T0 + 9400,
    updatedAt: T0 + 9400,
    deliveredAt: T0 + 9400,
  });
  await outbox.accept(acceptedSend({ accountId: 'acc1', clientJid: '40799999999@s.whatsapp.net', requestId: 'req-new', messageId: 'm-new-out', text: 'new layout send', now: T0 + 9500 }));
}

/** Where every message must end, exactly once: each old one in its own account's thread, beside the live ones. */
export const EXPECTED_THREADS: Record<string, Record<string, string[]>> = {
  acc1: {
    'acc1__40711111111@s.whatsapp.net': ['m-in-1', 'm-out-1', 'm-out-3', 'm-out-5'],
    'acc1__40722222222@s.whatsapp.net': ['m-c-1', 'm-c-2', 'm-live'],
    'acc1__40744444444@s.whatsapp.net': Array.from({ length: 12 }, (_, i) => `m-bulk-${String(i * 2).padStart(2, '0')}`),
    'acc1__40799999999@s.whatsapp.net': ['m-new-in', 'm-new-out'],
  },
  acc2: {
    'acc2__40711111111@s.whatsapp.net': ['m-in-2', 'm-out-2', 'm-out-4'],
    'acc2__40733333333@s.whatsapp.net': ['m-d-1'],
    'acc2__40744444444@s.whatsapp.net': Array.from({ length: 12 }, (_, i) => `m-bulk-${String(i * 2 + 1).padStart(2, '0')}`),
  },
  acc3: {},
};
