import { WebhookEndpoint } from '../../src/webhooks/webhook-endpoint';

/** An endpoint as stored: every event of every account, enabled, made at `createdAt` 0 unless changed. */
export function endpointOf(webhookId: string, changes: Partial<WebhookEndpoint> = {}): WebhookEndpoint {
  return {
    webhookId,
    url: 'https://hooks.example.com/',
    events: ['*'],
    accountIds: null,
    description: null,
    enabled: true,
    disabledReason: null,
    secrets: { current: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', previous: null },
    createdAt: 0,
    updatedAt: 0,
    ...changes,
  };
}
