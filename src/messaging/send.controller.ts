import { Access } from '../access/access.decorator';
import { Body, Controller, Headers, HttpCode, Post, Req } from '@nestjs/common';
import { FastifyRequest } from 'fastify';
import { newRequestId } from '../common/ids';
import { recordWriteKey } from '../common/store-deadline';
import { ApiAcceptedResponse, ApiHeader, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { SendAnswerDto, SendMessageDto } from './dto/send-message.dto';
import { SendService, reconcileRequestId } from './send.service';

@ApiTags('messages')
@ApiSecurity('api-key')
@Controller('api/whatsapp')
export class SendController {
  constructor(private readonly sends: SendService) {}

  @Post('send-message')
  @Access('send', { account: 'body.accountId' })
  @HttpCode(202)
  @ApiOperation({
    summary: 'Accept a text message for sending',
    description:
      'Durable before the answer: the message is queued in its thread and in the outbox, and sent once the account is connected. ' +
      'The same key with the same request answers the first answer again; with another request, 409.',
  })
  @ApiHeader({ name: 'idempotency-key', required: false, description: 'Idempotency key, same as body requestId (per account)' })
  @ApiAcceptedResponse({ type: SendAnswerDto })
  send(@Body() body: SendMessageDto, @Req() request: FastifyRequest, @Headers('idempotency-key') idempotencyKey?: string): Promise<SendAnswerDto> {
    // Made here when the client sent none, so a 503 on a slow store can name it for the retry.
    const requestId = reconcileRequestId(body.requestId, idempotencyKey) ?? newRequestId();
    recordWriteKey(request, requestId);
    return this.sends.send({ accountId: body.accountId, to: body.to, text: body.message, requestId });
  }
}
