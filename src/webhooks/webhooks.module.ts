import { Module } from '@nestjs/common';
import { MetricsModule } from '../metrics/metrics.module';
import { OutboundModule } from '../outbound/outbound.module';
import { EventsModule } from '../events/events.module';
import { StoreModule, perStore, repositoryFor } from '../store/store.module';
import { EndpointAccountReferences } from './endpoint-account-references';
import { EnvWebhook } from './env-webhook';
import { FirestoreWebhookEndpointRepository } from './firestore/webhook-endpoint.repository.firestore';
import { SqliteWebhookEndpointRepository } from './sqlite/webhook-endpoint.repository.sqlite';
import { WebhookEndpointRepository } from './webhook-endpoint.repository';
import { WebhooksController } from './webhooks.controller';
import { WebhooksService } from './webhooks.service';
import { FirestoreWebhookDeliveries } from './firestore/webhook-deliveries.repository.firestore';
import { SqliteWebhookDeliveries } from './sqlite/webhook-deliveries.repository.sqlite';
import { WebhookDeliveries } from './webhook-deliveries.repository';
import { WebhookDeliveriesController } from './webhook-deliveries.controller';
import { WebhookDeliveryWorker } from './webhook-delivery-worker.service';
import { WebhookDispatcher } from './webhook-dispatcher.service';
import { WebhookGauges } from './webhook-gauges';
import { WebhookReplays } from './webhook-replays.service';
import { WebhookRetention } from './webhook-retention.service';

/**
 * Webhook endpoints: their routes, their store, `wh_env` from the environment; and their deliveries: the
 * dispatcher fanning the event log out into delivery items, the worker attempting them (one attempt,
 * signed, through the outbound client: webhook-attempt.ts, which the test route uses too), the
 * deliveries log and replays, on either store. From the composition root: the config and the clock.
 */
@Module({})
export class WebhooksModule {
  static readonly forStore = perStore((store) => ({
    module: WebhooksModule,
    imports: [StoreModule, OutboundModule, MetricsModule, EventsModule.forStore(store)],
    controllers: [WebhooksController, WebhookDeliveriesController],
    providers: [
      WebhooksService,
      EnvWebhook,
      EndpointAccountReferences,
      repositoryFor(WebhookEndpointRepository, store, { sqlite: SqliteWebhookEndpointRepository, firestore: FirestoreWebhookEndpointRepository }),
      repositoryFor(WebhookDeliveries, store, { sqlite: SqliteWebhookDeliveries, firestore: FirestoreWebhookDeliveries }),
      WebhookDispatcher,
      WebhookDeliveryWorker,
      WebhookReplays,
      WebhookRetention,
      WebhookGauges,
    ],
    exports: [WebhookEndpointRepository, EndpointAccountReferences],
  }));
}
