import { Controller, Get, Headers, Param, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiProduces, ApiQuery, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { Access, Public } from '../access/access.decorator';
import { RangeNotSatisfiable } from '../common/errors';
import { MediaLinkSigner } from './media-link-signer';
import { sendMedia } from './media-reply';
import { MediaServing } from './media-serving.service';

/** Fastify's paths of the two media routes: each answer of theirs gets MEDIA_ANSWER_HEADERS (app.factory.ts). */
export const MEDIA_ROUTE_PATHS = ['/api/whatsapp/threads/:threadId/messages/:messageId/media', '/media/:messageRef'];

const RANGE_DESCRIPTION = 'One `Range: bytes=start-end` (or `start-`, or `-suffix`) answers 206 with Content-Range; a range with no byte of the file, or several, 416.';

@ApiTags('threads')
@Controller()
export class MediaController {
  constructor(
    private readonly serving: MediaServing,
    private readonly links: MediaLinkSigner,
  ) {}

  @Get('api/whatsapp/threads/:threadId/messages/:messageId/media')
  @Access('read', { thread: 'param.threadId' })
  @ApiSecurity('api-key')
  @ApiOperation({ summary: "A media message's file", description: `404 while the file is not stored. ${RANGE_DESCRIPTION}` })
  @ApiParam({ name: 'threadId', example: 'account1__40712345678@s.whatsapp.net', description: 'URL-encoded' })
  @ApiProduces('application/octet-stream')
  async media(@Param('threadId') threadId: string, @Param('messageId') messageId: string, @Headers('range') range: string | undefined, @Res() reply: FastifyReply): Promise<void> {
    await this.answer(reply, threadId, messageId, range);
  }

  @Get('media/:messageRef')
  @Public()
  @ApiOperation({
    summary: "A media message's file through a signed link (no key)",
    description: `The link is a message answer's media.url, valid MEDIA_LINK_TTL_S. Changed or expired: 403; file not stored yet: 404. ${RANGE_DESCRIPTION}`,
  })
  @ApiQuery({ name: 'exp', description: 'Expiry, epoch seconds' })
  @ApiQuery({ name: 'sig', description: 'HMAC-SHA256 of the ref and exp' })
  @ApiProduces('application/octet-stream')
  async signed(@Param('messageRef') messageRef: string, @Query('exp') exp: string | undefined, @Query('sig') sig: string | undefined, @Headers('range') range: string | undefined, @Res() reply: FastifyReply): Promise<void> {
    const { threadId, messageId } = this.links.messageOf({ messageRef, exp, sig });
    await this.answer(reply, threadId, messageId, range);
  }

  private async answer(reply: FastifyReply, threadId: string, messageId: string, range: string | undefined): Promise<void> {
    try {
      sendMedia(reply, await this.serving.open(threadId, messageId, range));
    } catch (error) {
      if (error instanceof RangeNotSatisfiable) void reply.header('content-range', `bytes */${error.size}`);
      throw error;
    }
  }
}
