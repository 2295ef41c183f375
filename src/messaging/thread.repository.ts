import { Page, PageRequest } from '../common/page';
import { MessageRecord, ThreadRecord } from './message';

/** Reads of threads and their messages. Adapters: thread.repository.sqlite.ts, thread.repository.firestore.ts. */
export abstract class ThreadRepository {
  /** The account's threads, newest `lastMessageAt` first. */
  abstract listThreads(accountId: string, page: PageRequest): Promise<Page<ThreadRecord>>;
  abstract getThread(threadId: string): Promise<ThreadRecord | undefined>;
  /** The thread's messages, newest `createdAt` first. */
  abstract listMessages(threadId: string, page: PageRequest): Promise<Page<MessageRecord>>;
  abstract getMessage(threadId: string, messageId: string): Promise<MessageRecord | undefined>;
}
