import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { Access } from '../access/access.decorator';
import { Caller, CurrentCaller } from '../access/caller';
import { CursorShape } from '../common/page';
import { pageRequestOf } from '../common/page.dto';
import { DeliveriesQueryDto, DeliveryAttemptDto, ReplayAnswerDto, ReplayDto } from './dto/delivery.dto';
import { assertEndpointInReach } from './endpoint-reach';
import { WebhookEndpointRepository } from './webhook-endpoint.repository';
import { WebhookReplays } from './webhook-replays.service';

/** An attempts cursor holds the last attempt's time and the store's id for it (sqlite: its sequence number). */
const ATTEMPT_CURSOR: CursorShape = { key: 'time', isId: (id) => /^[A-Za-z0-9]{1,40}$/.test(id) };

@ApiTags('webhooks')
@ApiSecurity('api-key')
@Controller('api/whatsapp/webhooks')
export class WebhookDeliveriesController {
  constructor(
    private readonly replays: WebhookReplays,
    private readonly endpoints: WebhookEndpointRepository,
  ) {}

  @Get(':webhookId/deliveries')
  @Access('manage')
  @ApiOperation({ summary: "The endpoint's delivery attempts, newest first: time, HTTP status or error, ms, and what each decided" })
  async deliveries(
    @Param('webhookId') webhookId: string,
    @Query() query: DeliveriesQueryDto,
    @CurrentCaller() caller: Caller,
  ): Promise<{ items: DeliveryAttemptDto[]; nextCursor: string | null }> {
    await assertEndpointInReach(this.endpoints, webhookId, caller);
    const page = await this.replays.attempts(webhookId, query.status, pageRequestOf(query, ATTEMPT_CURSOR));
    return { items: page.items.map(DeliveryAttemptDto.of), nextCursor: page.nextCursor };
  }

  @Post(':webhookId/replay')
  @Access('manage')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Deliver events again, in the background, with the same event ids',
    description: 'Either `since` (and `until`) or `eventIds`; the endpoint\'s current filters apply. Answers how many events were queued.',
  })
  @ApiAcceptedResponse({ type: ReplayAnswerDto })
  async replay(@Param('webhookId') webhookId: string, @Body() body: ReplayDto, @CurrentCaller() caller: Caller): Promise<ReplayAnswerDto> {
    await assertEndpointInReach(this.endpoints, webhookId, caller);
    const selection = body.eventIds ? { eventIds: body.eventIds } : { since: Date.parse(body.since!), until: body.until === undefined ? undefined : Date.parse(body.until) };
    return this.replays.replay(webhookId, selection);
  }
}
