import { Controller, HttpCode, Post, Req, Headers } from '@nestjs/common';
import { ApiAcceptedResponse, ApiExtraModels, ApiHeader, ApiOperation, ApiSecurity, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { FastifyRequest } from 'fastify';
import { Access } from '../access/access.decorator';
import { Caller, CurrentCaller } from '../access/caller';
import { InvalidInput } from '../common/errors';
import { MEDIA_TYPES } from '../media/media';
import { SendAnswerDto } from '../messaging/dto/send-message.dto';
import { SendAnswer } from '../messaging/send-acceptance';
import { MAX_CAPTION_LENGTH, SendMediaFieldsDto, SendMediaJsonDto } from './dto/send-media.dto';
import { MediaFetcher } from './media-fetcher';
import { IncomingFile, StoredFile } from './media-file';
import { base64File, commandOf, readMultipartForm, validated } from './media-send-form';
import { MediaSendCommand, SendMediaService } from './send-media.service';

export const SEND_MEDIA_PATH = '/api/whatsapp/send-media';

const MULTIPART_SCHEMA = {
  type: 'object',
  required: ['accountId', 'to', 'type', 'file'],
  description: 'The fields first, then one file part: a field after the file is refused (400).',
  properties: {
    accountId: { type: 'string', example: 'account1' },
    to: { type: 'string', example: '+40 712 345 678' },
    type: { type: 'string', enum: [...MEDIA_TYPES] },
    caption: { type: 'string', maxLength: MAX_CAPTION_LENGTH, description: 'image, video and document only' },
    fileName: { type: 'string', example: 'invoice.pdf' },
    requestId: { type: 'string', description: 'Idempotency key, per account (or the Idempotency-Key header)' },
    file: { type: 'string', format: 'binary', description: 'The file, last' },
  },
};

@ApiTags('messages')
@ApiSecurity('api-key')
@ApiExtraModels(SendMediaJsonDto)
@Controller('api/whatsapp')
export class SendMediaController {
  constructor(
    private readonly sends: SendMediaService,
    private readonly fetcher: MediaFetcher,
  ) {}

  @Post('send-media')
  @Access('send', { account: 'body.accountId' })
  @HttpCode(202)
  @ApiOperation({
    summary: 'Accept an image, video, audio, voice note, document or sticker for sending',
    description:
      'The file is streamed to storage and durable before the answer, so every attempt sends the same bytes. ' +
      'Limits in MiB: image 16, video 64, audio and voice 64, document MEDIA_MAX_MB (100), sticker 0.5; over one, 413 naming it, and nothing is kept. ' +
      "The file's first bytes must be what `type` says (voice: Opus in Ogg; sticker: WebP), else 400. " +
      'As `multipart/form-data` (the fields, then one file part), or as JSON with `media: {url}` (fetched now, under the outbound address rules) ' +
      'or `media: {base64, mimetype}` (up to 5 MiB). Idempotent as send-message: the request covers the file (its SHA-256; for a URL, the URL).',
    requestBody: {
      required: true,
      content: {
        'multipart/form-data': { schema: MULTIPART_SCHEMA },
        'application/json': { schema: { $ref: getSchemaPath(SendMediaJsonDto) } },
      },
    },
  })
  @ApiHeader({ name: 'idempotency-key', required: false, description: 'Idempotency key, same as the requestId field (per account)' })
  @ApiAcceptedResponse({ type: SendAnswerDto })
  send(@Req() request: FastifyRequest, @CurrentCaller() caller: Caller, @Headers('idempotency-key') idempotencyKey?: string): Promise<SendAnswer> {
    return request.isMultipart() ? this.fromMultipart(request, caller, idempotencyKey) : this.fromJson(request.body, caller, idempotencyKey);
  }

  private async fromMultipart(request: FastifyRequest, caller: Caller, idempotencyKey: string | undefined): Promise<SendAnswer> {
    let command: MediaSendCommand | undefined;
    let stored: StoredFile | undefined;
    await readMultipartForm(request, this.sends.largestFileBytes(), {
      fields: (fields) => {
        command = commandOf(validated(SendMediaFieldsDto, fields), idempotencyKey, caller);
        this.sends.check(command);
      },
      file: async (file) => {
        stored = await this.sends.store(command!.type, file);
      },
    });
    return this.sends.accept(command!, stored!);
  }

  private async fromJson(body: unknown, caller: Caller, idempotencyKey: string | undefined): Promise<SendAnswer> {
    const fields = validated(SendMediaJsonDto, body);
    const command = commandOf(fields, idempotencyKey, caller);
    this.sends.check(command);
    const { url, base64 } = fields.media ?? {};
    if ((url === undefined) === (base64 === undefined)) throw new InvalidInput('media', 'send either {url} or {base64, mimetype}');
    const file: IncomingFile =
      url !== undefined ? await this.fetcher.open(url, this.sends.limitOf(command.type).bytes, () => this.sends.tooLarge({ field: 'media.url' }, command.type)) : base64File(fields.media);
    return this.sends.accept(command, await this.sends.store(command.type, file));
  }
}
