import { Access } from '../access/access.decorator';
import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { MESSAGE_ID_PATTERN } from '../common/ids';
import { splitThreadId } from '../common/jid';
import { CursorShape } from '../common/page';
import { PageQueryDto, pageRequestOf } from '../common/page.dto';
import { ListThreadsQueryDto, MessageDto, ThreadDto } from './dto/thread.dto';
import { MediaLinks } from './media-links';
import { MessageRecord } from './message';
import { ThreadsService } from './threads.service';

/**
 * Threads page by (lastMessageAt, thread id): a cursor naming another account's thread is refused. Until
 * the thread-id migration has run, the list also holds old-layout threads (a bare JID carrying this
 * `accountId`, docs/migration.md), so a cursor may name one of those: any id without `__` that is a
 * document id Firestore takes (no `/`, not `.` or `..`).
 */
const threadCursorOf = (accountId: string): CursorShape => ({
  key: 'time',
  isId: (id) => splitThreadId(id)?.accountId === accountId || (/^[^/]{1,160}$/.test(id) && !id.includes('__') && id !== '.' && id !== '..'),
});
/** Messages page by (createdAt, message id). */
const MESSAGE_CURSOR: CursorShape = { key: 'time', isId: (id) => MESSAGE_ID_PATTERN.test(id) };

@ApiTags('threads')
@ApiSecurity('api-key')
@Controller('api/whatsapp/threads')
export class ThreadsController {
  constructor(
    private readonly threads: ThreadsService,
    private readonly links: MediaLinks,
  ) {}

  @Get()
  @Access('read', { account: 'query.accountId' })
  @ApiOperation({ summary: "An account's threads, newest lastMessageAt first" })
  async list(@Query() query: ListThreadsQueryDto): Promise<{ items: ThreadDto[]; nextCursor: string | null }> {
    const page = await this.threads.listThreads(query.accountId, pageRequestOf(query, threadCursorOf(query.accountId)));
    return { items: page.items.map(ThreadDto.of), nextCursor: page.nextCursor };
  }

  @Get(':threadId/messages')
  @Access('read', { thread: 'param.threadId' })
  @ApiOperation({ summary: "A thread's messages, newest first" })
  @ApiParam({ name: 'threadId', example: 'account1__40712345678@s.whatsapp.net', description: 'URL-encoded' })
  async messages(@Param('threadId') threadId: string, @Query() query: PageQueryDto): Promise<{ items: MessageDto[]; nextCursor: string | null }> {
    const page = await this.threads.listMessages(threadId, pageRequestOf(query, MESSAGE_CURSOR));
    return { items: page.items.map((message) => this.served(message)), nextCursor: page.nextCursor };
  }

  @Get(':threadId/messages/:messageId')
  @Access('read', { thread: 'param.threadId' })
  @ApiOperation({ summary: 'One message with its status and status times' })
  async message(@Param('threadId') threadId: string, @Param('messageId') messageId: string): Promise<MessageDto> {
    return this.served(await this.threads.getMessage(threadId, messageId));
  }

  /** The answer with a fresh signed link to its file: minted here, as it is served, so none is ever stored. */
  private served(message: MessageRecord): MessageDto {
    const answer = MessageDto.of(message);
    const url = answer.media ? this.links.linkTo(message.threadId, message.messageId) : null;
    if (answer.media && url) answer.media = { ...answer.media, url };
    return answer;
  }
}
