import { Direction } from '../messaging/message';
import { StatusTimes } from '../messaging/message-status';

/**
 * The old layout as the migration reads it, whatever the store: times in epoch milliseconds, and every
 * field the old code may not have written optional. Adapters fill these from old docs or rows; the rules
 * that place them in the new layout are pure functions (message-placement.ts, outbox-placement.ts).
 */

/** `threads/{remoteJid}/messages/{messageId}`: one old thread may hold several accounts' messages. */
export interface LegacyMessage extends StatusTimes {
  /** The old thread's id: the bare remote JID, as WhatsApp sent it (device suffix, `c.us` and all). */
  oldThreadId: string;
  messageId: string;
  accountId?: string;
  direction?: Direction;
  text: string | null;
  status?: string;
  waMessageId?: string;
  requestId?: string;
  error?: string;
  participant?: string;
  mediaType?: string;
  createdAt?: number;
  updatedAt?: number;
}

/** `outbox/{requestId}`: no account in the key, `messageRef` naming the old message path. */
export interface LegacyOutboxItem {
  requestId: string;
  accountId?: string;
  messageRef?: string;
  status?: string;
  attempts?: number;
  nextAttemptAt?: number;
  lastError?: string;
  createdAt?: number;
  updatedAt?: number;
  endedAt?: number;
}

/** `wa_accounts/{accountId}`: the second accounts collection some old code wrote. */
export interface LegacyAccount {
  accountId: string;
  name?: string;
  phone?: string;
  status?: string;
  createdAt?: number;
  updatedAt?: number;
}

/** The new layout's thread doc as the migration writes it: the summary plus the outbound counter. */
export interface ThreadSummary {
  threadId: string;
  accountId: string;
  clientJid: string;
  lastMessageAt: number;
  lastMessageText: string | null;
  lastMessageDirection: Direction;
  /** The next outbound sequence number the thread hands out (accept reads it). */
  nextSeq: number;
  createdAt: number;
  updatedAt: number;
}

/** `messageLookup/{accountId}__{direction}__{waMessageId}` → the message it names. */
export interface LookupKey {
  accountId: string;
  direction: Direction;
  waMessageId: string;
}

export interface LookupEntry extends LookupKey {
  threadId: string;
  messageId: string;
}

export function lookupId(key: LookupKey): string {
  return `${key.accountId}__${key.direction}__${key.waMessageId}`;
}

/** An id of the old layout: a thread or outbox id without the `{accountId}__` prefix every new one has. */
export function isOldLayoutId(id: string): boolean {
  return !id.includes('__');
}
