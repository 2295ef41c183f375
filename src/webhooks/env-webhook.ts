import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { WebhookEndpointRepository } from './webhook-endpoint.repository';

/** `WEBHOOK_URL` + `WEBHOOK_SECRET` declare endpoint `wh_env` at each start, updated in place (webhook-endpoint.ts `declaredEnv`). */
@Injectable()
export class EnvWebhook implements OnApplicationBootstrap {
  private readonly logger = new Logger('Webhooks');

  constructor(
    private readonly endpoints: WebhookEndpointRepository,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.envWebhook) return;
    const { url, secret } = this.config.envWebhook;
    const endpoint = await this.endpoints.upsertEnv(url, secret, this.clock.now());
    this.logger.log({ webhookId: endpoint.webhookId, enabled: endpoint.enabled }, 'webhook endpoint declared by WEBHOOK_URL');
  }
}
