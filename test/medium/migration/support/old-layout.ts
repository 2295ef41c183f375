import { Direction } from '../../../../src/messaging/message';
import { StatusTimes } from '../../../../src/messaging/message-status';

/**
 * The fixture, whatever the store: what the old code left behind, described once. Each adapter's seeder
 * writes it in that store's old shape (seed-firestore.ts, seed-sqlite.ts); the new-layout part is
 * written through the app's own repositories (seed-new-layout.ts).
 */
export const T0 = Date.UTC(2025, 5, 1);

/** Old thread ids: bare remote JIDs as WhatsApp sent them. */
export const OLD = {
  /** acc1 and acc2 both talk to this client: the very bug, one thread holding two accounts' messages. */
  mixed: '40711111111@s.whatsapp.net',
  /** `c.us` form; acc1 has since talked to the client through the new code: the copies join that thread. */
  cUs: '40722222222@c.us',
  /** A device suffix in the JID. */
  device: '40733333333:12@s.whatsapp.net',
  /** Enough messages of both accounts for an interruption to land in the middle; no thread doc. */
  bulk: '40744444444@s.whatsapp.net',
} as const;

export interface OldMessage extends StatusTimes {
  oldThreadId: string;
  messageId: string;
  accountId: string;
  direction: Direction;
  text: string;
  status: string;
  waMessageId?: string;
  createdAt: number;
}

export const OLD_MESSAGES: OldMessage[] = [
  { oldThreadId: OLD.mixed, messageId: 'm-in-1', accountId: 'acc1', direction: 'inbound', text: 'hello acc1', status: 'received', waMessageId: 'WAIN1', createdAt: T0 + 1000 },
  // The old inbound handler stored one WhatsApp message twice: the repeat is dropped, not copied.
  { oldThreadId: OLD.mixed, messageId: 'm-in-1-again', accountId: 'acc1', direction: 'inbound', text: 'hello acc1', status: 'received', waMessageId: 'WAIN1', createdAt: T0 + 1000 },
  { oldThreadId: OLD.mixed, messageId: 'm-in-2', accountId: 'acc2', direction: 'inbound', text: 'hello acc2', status: 'received', waMessageId: 'WAIN2', createdAt: T0 + 1500 },
  { oldThreadId: OLD.mixed, messageId: 'm-out-1', accountId: 'acc1', direction: 'outbound', text: 'old code said read', status: 'read', waMessageId: 'WAOUT1', createdAt: T0 + 2000, deliveredAt: T0 + 2100, readAt: T0 + 2200 },
  { oldThreadId: OLD.mixed, messageId: 'm-out-2', accountId: 'acc2', direction: 'outbound', text: 'old code said delivered', status: 'delivered', waMessageId: 'WAOUT2', createdAt: T0 + 2500, deliveredAt: T0 + 2600 },
  // Not sent yet: the old code had no WhatsApp id for it. Its outbox item was left `processing`.
  { oldThreadId: OLD.mixed, messageId: 'm-out-3', accountId: 'acc1', direction: 'outbound', text: 'left processing', status: 'queued', createdAt: T0 + 3000 },
  { oldThreadId: OLD.mixed, messageId: 'm-out-4', accountId: 'acc2', direction: 'outbound', text: 'still queued', status: 'queued', waMessageId: 'WAOUT4', createdAt: T0 + 3500 },
  { oldThreadId: OLD.mixed, messageId: 'm-out-5', accountId: 'acc1', direction: 'outbound', text: 'queued behind it', status: 'queued', waMessageId: 'WAOUT5', createdAt: T0 + 3600 },
  { oldThreadId: OLD.cUs, messageId: 'm-c-1', accountId: 'acc1', direction: 'inbound', text: 'old c.us inbound', status: 'received', waMessageId: 'WAC1', createdAt: T0 + 500 },
  { oldThreadId: OLD.cUs, messageId: 'm-c-2', accountId: 'acc1', direction: 'outbound', text: 'old c.us sent', status: 'sent', waMessageId: 'WAC2', createdAt: T0 + 600, sentAt: T0 + 650 },
  { oldThreadId: OLD.device, messageId: 'm-d-1', accountId: 'acc2', direction: 'inbound', text: 'from a linked device', status: 'received', waMessageId: 'WAD1', createdAt: T0 + 700 },
  ...Array.from({ length: 24 }, (_, i): OldMessage => {
    const outbound = i % 4 >= 2;
    return {
      oldThreadId: OLD.bulk,
      messageId: `m-bulk-${String(i).padStart(2, '0')}`,
      accountId: i % 2 === 0 ? 'acc1' : 'acc2',
      direction: outbound ? 'outbound' : 'inbound',
      text: `bulk ${i}`,
      status: outbound ? 'delivered' : 'received',
      waMessageId: `WABULK${i}`,
      createdAt: T0 + 10_000 + i * 10,
    };
  }),
];

/** Old thread docs: the last writer's account and summary (the bulk thread has none, only messages). */
export const OLD_THREAD_DOCS = [
  { oldThreadId: OLD.mixed, accountId: 'acc1', lastMessageAt: T0 + 3600, lastMessageText: 'queued behind it' },
  { oldThreadId: OLD.cUs, accountId: 'acc1', lastMessageAt: T0 + 600, lastMessageText: 'old c.us sent' },
  { oldThreadId: OLD.device, accountId: 'acc2', lastMessageAt: T0 + 700, lastMessageText: 'from a linked device' },
];

export interface OldOutboxItem {
  requestId: string;
  accountId: string;
  oldThreadId: string;
  messageId: string;
  status: string;
  claimedBy?: string;
  leaseUntil?: number;
  attempts: number;
  createdAt: number;
}

export const OLD_OUTBOX: OldOutboxItem[] = [
  { requestId: 'req-processing', accountId: 'acc1', oldThreadId: OLD.mixed, messageId: 'm-out-3', status: 'processing', claimedBy: 'worker-old', leaseUntil: T0 + 63_000, attempts: 1, createdAt: T0 + 3000 },
  { requestId: 'req-queued', accountId: 'acc2', oldThreadId: OLD.mixed, messageId: 'm-out-4', status: 'queued', attempts: 0, createdAt: T0 + 3500 },
  { requestId: 'req-queued-2', accountId: 'acc1', oldThreadId: OLD.mixed, messageId: 'm-out-5', status: 'queued', attempts: 0, createdAt: T0 + 3600 },
  { requestId: 'req-sent', accountId: 'acc1', oldThreadId: OLD.cUs, messageId: 'm-c-2', status: 'sent', attempts: 1, createdAt: T0 + 600 },
];

export interface OldAccount {
  accountId: string;
  name?: string;
  phone?: string;
  status?: string;
  createdAt: number;
  updatedAt: number;
}

/** acc1's `accounts` doc is newer (kept); acc2 is only here (created); acc3's `accounts` doc is older (filled). */
export const WA_ACCOUNTS: OldAccount[] = [
  { accountId: 'acc1', name: 'stale name', phone: '40700000001', status: 'connected', createdAt: T0, updatedAt: T0 + 50 },
  { accountId: 'acc2', name: 'Second', phone: '40700000002', status: 'connected', createdAt: T0, updatedAt: T0 + 60 },
  { accountId: 'acc3', name: 'Third', phone: '40700000003', status: 'connected', createdAt: T0, updatedAt: Date.UTC(2030, 0, 1) },
];

export const oldMessagePath = (oldThreadId: string, messageId: string) => `threads/${oldThreadId}/messages/${messageId}`;
