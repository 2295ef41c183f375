import { DisabledReason, EndpointChanges, WebhookEndpoint } from './webhook-endpoint';

/**
 * The webhook endpoints, secrets included (they sign). Adapters: sqlite/webhook-endpoint.repository.sqlite.ts
 * (table `webhooks`) and firestore/webhook-endpoint.repository.firestore.ts (`webhooks/{webhookId}`); each
 * change is read, ruled by webhook-endpoint.ts and written in one transaction. A change of an endpoint
 * that does not exist answers null.
 */
export abstract class WebhookEndpointRepository {
  abstract create(endpoint: WebhookEndpoint): Promise<void>;
  abstract get(webhookId: string): Promise<WebhookEndpoint | null>;
  /** Every endpoint, oldest first (a deployment has a handful). */
  abstract list(): Promise<WebhookEndpoint[]>;
  abstract update(webhookId: string, changes: EndpointChanges, now: number): Promise<WebhookEndpoint | null>;
  /** `secret` becomes current; the current one signs beside it for a day. */
  abstract rotateSecret(webhookId: string, secret: string, now: number): Promise<WebhookEndpoint | null>;
  /** The delivery side's: a 410 answer disables the endpoint until a PATCH enables it. */
  abstract disable(webhookId: string, reason: DisabledReason, now: number): Promise<WebhookEndpoint | null>;
  /** Whether there was one to delete. */
  abstract delete(webhookId: string): Promise<boolean>;
  /** A deleted account leaves every endpoint's list; one left with none is disabled. Answers how many listed it. */
  abstract removeAccount(accountId: string, now: number): Promise<number>;
  /** Declares `wh_env` (every event, every account), created or updated in place. */
  abstract upsertEnv(url: string, secret: string, now: number): Promise<WebhookEndpoint>;
}
