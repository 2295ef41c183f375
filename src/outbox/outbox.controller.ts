import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { Access } from '../access/access.decorator';
import { isRequestId } from '../common/ids';
import { CursorShape } from '../common/page';
import { pageRequestOf } from '../common/page.dto';
import { ListOutboxQueryDto, OutboxItemDto } from './dto/outbox-item.dto';
import { FailedSends } from './failed-sends.service';

/** An account's items page by request id alone. */
const OUTBOX_CURSOR: CursorShape = { key: 'none', isId: isRequestId };

@ApiTags('outbox')
@ApiSecurity('api-key')
@Controller('api/whatsapp/outbox')
export class OutboxController {
  constructor(private readonly failedSends: FailedSends) {}

  @Get()
  @Access('read', { account: 'query.accountId' })
  @ApiOperation({ summary: "An account's sends by request id, of one status (`failed`: what needs a look) or all" })
  async list(@Query() query: ListOutboxQueryDto): Promise<{ items: OutboxItemDto[]; nextCursor: string | null }> {
    const page = await this.failedSends.list(query.accountId, query.status, pageRequestOf(query, OUTBOX_CURSOR));
    return { items: page.items.map(OutboxItemDto.of), nextCursor: page.nextCursor };
  }

  @Post(':accountId/:requestId/retry')
  @Access('send', { account: 'param.accountId' })
  @HttpCode(200)
  @ApiOperation({ summary: 'Queue a failed send again: the same message and WhatsApp id, attempts reset (409 if it is not failed)' })
  @ApiOkResponse({ type: OutboxItemDto })
  @ApiConflictResponse({ description: 'The send is not failed (its status is named), or the account is logged_out' })
  @ApiNotFoundResponse({ description: 'No such account or send' })
  async retry(@Param('accountId') accountId: string, @Param('requestId') requestId: string): Promise<OutboxItemDto> {
    return OutboxItemDto.of(await this.failedSends.retry(accountId, requestId));
  }
}
