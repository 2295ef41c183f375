import { randomBytes } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../common/clock';
import { InvalidInput, WebhookNotFound } from '../common/errors';
import { assertAccountId, assertWebhookId, newWebhookId } from '../common/ids';
import { AppConfig } from '../config/app-config';
import { OutboundClient, OutboundRefused } from '../outbound/outbound-client';
import { AttemptOutcome, attemptDelivery } from './webhook-attempt';
import { ALL_EVENTS, EndpointChanges, WebhookEndpoint, newWebhookSecret } from './webhook-endpoint';
import { WebhookEndpointRepository } from './webhook-endpoint.repository';

export interface NewEndpoint {
  url: string;
  events?: string[];
  accountIds?: string[] | null;
  description?: string;
}

/** The endpoints' routes: each change checked (the URL by the address rules), then stored; and the test attempt. */
@Injectable()
export class WebhooksService {
  private readonly logger = new Logger('Webhooks');

  constructor(
    private readonly endpoints: WebhookEndpointRepository,
    private readonly outbound: OutboundClient,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  async create(request: NewEndpoint): Promise<WebhookEndpoint> {
    const accountIds = accountIdsOf(request.accountIds) ?? null;
    await this.checkUrl(request.url);
    const now = this.clock.now();
    const endpoint: WebhookEndpoint = {
      webhookId: newWebhookId(),
      url: request.url,
      events: request.events ?? [ALL_EVENTS],
      accountIds,
      description: request.description ?? null,
      enabled: true,
      disabledReason: null,
      secrets: { current: newWebhookSecret(), previous: null },
      createdAt: now,
      updatedAt: now,
    };
    await this.endpoints.create(endpoint);
    this.logger.log({ webhookId: endpoint.webhookId }, 'webhook endpoint created');
    return endpoint;
  }

  list(): Promise<WebhookEndpoint[]> {
    return this.endpoints.list();
  }

  async get(webhookId: string): Promise<WebhookEndpoint> {
    return found(webhookId, await this.endpoints.get(assertWebhookId(webhookId)));
  }

  async update(webhookId: string, changes: EndpointChanges): Promise<WebhookEndpoint> {
    assertWebhookId(webhookId);
    const checked = { ...changes, accountIds: accountIdsOf(changes.accountIds) };
    if (changes.url !== undefined) await this.checkUrl(changes.url);
    return found(webhookId, await this.endpoints.update(webhookId, checked, this.clock.now()));
  }

  async delete(webhookId: string): Promise<void> {
    if (!(await this.endpoints.delete(assertWebhookId(webhookId)))) throw new WebhookNotFound(webhookId);
    this.logger.log({ webhookId }, 'webhook endpoint deleted');
  }

  async rotateSecret(webhookId: string): Promise<WebhookEndpoint> {
    const endpoint = found(webhookId, await this.endpoints.rotateSecret(assertWebhookId(webhookId), newWebhookSecret(), this.clock.now()));
    this.logger.log({ webhookId }, 'webhook secret rotated; the previous one signs beside it for 24 h');
    return endpoint;
  }

  /** One synchronous attempt of a `webhook.test` event, signed as deliveries are; nothing is stored. */
  async test(webhookId: string): Promise<AttemptOutcome & { ok: boolean }> {
    const endpoint = await this.get(webhookId);
    const now = this.clock.now();
    const eventId = `evt_test_${randomBytes(12).toString('base64url')}`;
    const at = new Date(now).toISOString();
    const body = JSON.stringify({ type: 'webhook.test', timestamp: at, data: { id: eventId, occurredAt: at } });
    const outcome = await attemptDelivery(this.outbound, endpoint, eventId, body, this.config.webhookTimeoutMs, now);
    return { ok: outcome.status !== undefined && outcome.status >= 200 && outcome.status < 300, ...outcome };
  }

  /** The address rules, at create and at PATCH (every attempt checks again: a name may move). */
  private async checkUrl(url: string): Promise<void> {
    try {
      await this.outbound.check(url);
    } catch (error) {
      if (error instanceof OutboundRefused) throw new InvalidInput('url', error.reason);
      throw error;
    }
  }
}

function accountIdsOf(accountIds: string[] | null | undefined): string[] | null | undefined {
  accountIds?.forEach((accountId, i) => assertAccountId(accountId, `accountIds[${i}]`));
  return accountIds && [...new Set(accountIds)];
}

function found(webhookId: string, endpoint: WebhookEndpoint | null): WebhookEndpoint {
  if (!endpoint) throw new WebhookNotFound(webhookId);
  return endpoint;
}
