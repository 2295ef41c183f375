import { Injectable } from '@nestjs/common';
import { MessageNotFound, ThreadNotFound } from '../common/errors';
import { assertMessageId } from '../common/ids';
import { parseThreadId } from '../common/jid';
import { Page, PageRequest } from '../common/page';
import { MessageRecord, ThreadRecord } from './message';
import { ThreadRepository } from './thread.repository';

@Injectable()
export class ThreadsService {
  constructor(private readonly threads: ThreadRepository) {}

  listThreads(accountId: string, page: PageRequest): Promise<Page<ThreadRecord>> {
    return this.threads.listThreads(accountId, page);
  }

  async listMessages(threadId: string, page: PageRequest): Promise<Page<MessageRecord>> {
    await this.existingThread(threadId);
    return this.threads.listMessages(threadId, page);
  }

  async getMessage(threadId: string, messageId: string): Promise<MessageRecord> {
    parseThreadId(threadId);
    const message = await this.threads.getMessage(threadId, assertMessageId(messageId));
    if (!message) throw new MessageNotFound(messageId);
    return message;
  }

  private async existingThread(threadId: string): Promise<ThreadRecord> {
    parseThreadId(threadId);
    const thread = await this.threads.getThread(threadId);
    if (!thread) throw new ThreadNotFound(threadId);
    return thread;
  }
}
