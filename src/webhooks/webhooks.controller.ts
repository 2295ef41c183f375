import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { Access } from '../access/access.decorator';
import { Caller, CurrentCaller } from '../access/caller';
import { CreatedWebhookDto, RotatedSecretDto, TestOutcomeDto, WebhookDto } from './dto/webhook-answer.dto';
import { CreateWebhookDto, UpdateWebhookDto } from './dto/webhook-request.dto';
import { accountIdsFor, assertEndpointInReach, endpointInReach } from './endpoint-reach';
import { WebhookEndpointRepository } from './webhook-endpoint.repository';
import { WebhooksService } from './webhooks.service';

@ApiTags('webhooks')
@ApiSecurity('api-key')
@Controller('api/whatsapp/webhooks')
export class WebhooksController {
  constructor(
    private readonly webhooks: WebhooksService,
    private readonly endpoints: WebhookEndpointRepository,
  ) {}

  @Post()
  @Access('manage')
  @ApiOperation({
    summary: 'Add an endpoint: events are POSTed to it, signed (Standard Webhooks)',
    description: 'Answers its `secret` once, never again: keep it to verify `webhook-signature`. The URL must resolve to a public address.',
  })
  @ApiCreatedResponse({ type: CreatedWebhookDto })
  async create(@Body() body: CreateWebhookDto, @CurrentCaller() caller: Caller): Promise<CreatedWebhookDto> {
    return CreatedWebhookDto.withSecret(await this.webhooks.create({ ...body, accountIds: accountIdsFor(body.accountIds, caller, true) }));
  }

  @Get()
  @Access('manage')
  @ApiOperation({ summary: 'List the endpoints, oldest first (an account key: those of its accounts only)' })
  async list(@CurrentCaller() caller: Caller): Promise<{ items: WebhookDto[] }> {
    return { items: (await this.webhooks.list()).filter((endpoint) => endpointInReach(endpoint.accountIds, caller)).map(WebhookDto.of) };
  }

  @Get(':webhookId')
  @Access('manage')
  @ApiOkResponse({ type: WebhookDto })
  async get(@Param('webhookId') webhookId: string, @CurrentCaller() caller: Caller): Promise<WebhookDto> {
    await assertEndpointInReach(this.endpoints, webhookId, caller);
    return WebhookDto.of(await this.webhooks.get(webhookId));
  }

  @Patch(':webhookId')
  @Access('manage')
  @ApiOperation({ summary: 'Change its url, events, accounts, description; `enabled: true` enables it again' })
  @ApiOkResponse({ type: WebhookDto })
  async update(@Param('webhookId') webhookId: string, @Body() body: UpdateWebhookDto, @CurrentCaller() caller: Caller): Promise<WebhookDto> {
    await assertEndpointInReach(this.endpoints, webhookId, caller);
    return WebhookDto.of(await this.webhooks.update(webhookId, { ...body, accountIds: accountIdsFor(body.accountIds, caller, false) }));
  }

  @Delete(':webhookId')
  @Access('manage')
  @HttpCode(204)
  @ApiNoContentResponse()
  async delete(@Param('webhookId') webhookId: string, @CurrentCaller() caller: Caller): Promise<void> {
    await assertEndpointInReach(this.endpoints, webhookId, caller);
    await this.webhooks.delete(webhookId);
  }

  @Post(':webhookId/rotate-secret')
  @Access('manage')
  @HttpCode(200)
  @ApiOperation({ summary: 'A new secret, answered once; the previous one signs beside it for 24 h' })
  @ApiOkResponse({ type: RotatedSecretDto })
  async rotateSecret(@Param('webhookId') webhookId: string, @CurrentCaller() caller: Caller): Promise<RotatedSecretDto> {
    await assertEndpointInReach(this.endpoints, webhookId, caller);
    const endpoint = await this.webhooks.rotateSecret(webhookId);
    return { webhookId, secret: endpoint.secrets.current, previousSecretExpiresAt: new Date(endpoint.secrets.previous!.expiresAt).toISOString() };
  }

  @Post(':webhookId/test')
  @Access('manage')
  @HttpCode(200)
  @ApiOperation({ summary: 'One attempt of a `webhook.test` event, now: the HTTP status, or why there was none' })
  @ApiOkResponse({ type: TestOutcomeDto })
  async test(@Param('webhookId') webhookId: string, @CurrentCaller() caller: Caller): Promise<TestOutcomeDto> {
    await assertEndpointInReach(this.endpoints, webhookId, caller);
    const { ok, status, error, ms } = await this.webhooks.test(webhookId);
    return { ok, status, error, ms };
  }
}
