import { Module } from '@nestjs/common';
import { OutboundModule } from '../outbound/outbound.module';
import { StoreModule, perStore, repositoryFor } from '../store/store.module';
import { EnvWebhook } from './env-webhook';
import { FirestoreWebhookEndpointRepository } from './firestore/webhook-endpoint.repository.firestore';
import { SqliteWebhookEndpointRepository } from './sqlite/webhook-endpoint.repository.sqlite';
import { WebhookEndpointRepository } from './webhook-endpoint.repository';
import { WebhooksController } from './webhooks.controller';
import { WebhooksService } from './webhooks.service';

/**
 * Webhook endpoints: their routes, their store, `wh_env` from the environment. One attempt of a delivery
 * (signed, through the outbound client) is webhook-attempt.ts, used by the test route. From the
 * composition root: the config and the clock.
 */
@Module({})
export class WebhooksModule {
  static readonly forStore = perStore((store) => ({
    module: WebhooksModule,
    imports: [StoreModule, OutboundModule],
    controllers: [WebhooksController],
    providers: [
      WebhooksService,
      EnvWebhook,
      repositoryFor(WebhookEndpointRepository, store, { sqlite: SqliteWebhookEndpointRepository, firestore: FirestoreWebhookEndpointRepository }),
    ],
    exports: [WebhookEndpointRepository],
  }));
}
