import { Page, PageRequest } from '../common/page';
import { MediaSource } from '../whatsapp/whatsapp-provider';
import { Direction, MessageRecord, ThreadRecord } from './message';

/** Reads of threads and their messages. Adapters: sqlite/thread.repository.sqlite.ts, firestore/thread.repository.firestore.ts. */
export abstract class ThreadRepository {
  /** The account's threads, newest `lastMessageAt` first. */
  abstract listThreads(accountId: string, page: PageRequest): Promise<Page<ThreadRecord>>;
  abstract getThread(threadId: string): Promise<ThreadRecord | undefined>;
  /** The thread's messages, newest `createdAt` first. */
  abstract listMessages(threadId: string, page: PageRequest): Promise<Page<MessageRecord>>;
  abstract getMessage(threadId: string, messageId: string): Promise<MessageRecord | undefined>;
  /** The message WhatsApp knows by this id on this account and in this direction: a direct lookup, never a scan. */
  abstract findByWaMessageId(accountId: string, direction: Direction, waMessageId: string): Promise<MessageRecord | undefined>;
  /**
   * Stores a message WhatsApp delivered (or echoed), idempotently: when the lookup (account, direction,
   * WhatsApp id) already exists, writes nothing. In the same atomic write: the message, its lookup entry,
   * and the thread summary, which changes only if this message is newer than `lastMessageAt`; with
   * `download`, the work item that fetches its file (media-downloads/), so no file is forgotten by a crash.
   */
  abstract storeProviderMessage(message: MessageRecord, download?: MediaSource): Promise<'stored' | 'duplicate'>;
}
