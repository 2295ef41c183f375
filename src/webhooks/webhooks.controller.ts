import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { CreatedWebhookDto, RotatedSecretDto, TestOutcomeDto, WebhookDto } from './dto/webhook-answer.dto';
import { CreateWebhookDto, UpdateWebhookDto } from './dto/webhook-request.dto';
import { WebhooksService } from './webhooks.service';

@ApiTags('webhooks')
@ApiSecurity('api-key')
@Controller('api/whatsapp/webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @ApiOperation({
    summary: 'Add an endpoint: events are POSTed to it, signed (Standard Webhooks)',
    description: 'Answers its `secret` once, never again: keep it to verify `webhook-signature`. The URL must resolve to a public address.',
  })
  @ApiCreatedResponse({ type: CreatedWebhookDto })
  async create(@Body() body: CreateWebhookDto): Promise<CreatedWebhookDto> {
    return CreatedWebhookDto.withSecret(await this.webhooks.create(body));
  }

  @Get()
  @ApiOperation({ summary: 'List the endpoints, oldest first' })
  async list(): Promise<{ items: WebhookDto[] }> {
    return { items: (await this.webhooks.list()).map(WebhookDto.of) };
  }

  @Get(':webhookId')
  @ApiOkResponse({ type: WebhookDto })
  async get(@Param('webhookId') webhookId: string): Promise<WebhookDto> {
    return WebhookDto.of(await this.webhooks.get(webhookId));
  }

  @Patch(':webhookId')
  @ApiOperation({ summary: 'Change its url, events, accounts, description; `enabled: true` enables it again' })
  @ApiOkResponse({ type: WebhookDto })
  async update(@Param('webhookId') webhookId: string, @Body() body: UpdateWebhookDto): Promise<WebhookDto> {
    return WebhookDto.of(await this.webhooks.update(webhookId, body));
  }

  @Delete(':webhookId')
  @HttpCode(204)
  @ApiNoContentResponse()
  async delete(@Param('webhookId') webhookId: string): Promise<void> {
    await this.webhooks.delete(webhookId);
  }

  @Post(':webhookId/rotate-secret')
  @HttpCode(200)
  @ApiOperation({ summary: 'A new secret, answered once; the previous one signs beside it for 24 h' })
  @ApiOkResponse({ type: RotatedSecretDto })
  async rotateSecret(@Param('webhookId') webhookId: string): Promise<RotatedSecretDto> {
    const endpoint = await this.webhooks.rotateSecret(webhookId);
    return { webhookId, secret: endpoint.secrets.current, previousSecretExpiresAt: new Date(endpoint.secrets.previous!.expiresAt).toISOString() };
  }

  @Post(':webhookId/test')
  @HttpCode(200)
  @ApiOperation({ summary: 'One attempt of a `webhook.test` event, now: the HTTP status, or why there was none' })
  @ApiOkResponse({ type: TestOutcomeDto })
  async test(@Param('webhookId') webhookId: string): Promise<TestOutcomeDto> {
    const { ok, status, error, ms } = await this.webhooks.test(webhookId);
    return { ok, status, error, ms };
  }
}
