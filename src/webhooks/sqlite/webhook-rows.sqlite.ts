import { DisabledReason, WebhookEndpoint } from '../webhook-endpoint';

export interface WebhookRow {
  webhook_id: string;
  url: string;
  events: string;
  account_ids: string | null;
  description: string | null;
  enabled: number;
  disabled_reason: string | null;
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: number | null;
  created_at: number;
  updated_at: number;
}

export function toEndpoint(row: WebhookRow): WebhookEndpoint {
  const previous = row.previous_secret === null ? null : { secret: row.previous_secret, expiresAt: row.previous_secret_expires_at! };
  return {
    webhookId: row.webhook_id,
    url: row.url,
    events: JSON.parse(row.events) as string[],
    accountIds: row.account_ids === null ? null : (JSON.parse(row.account_ids) as string[]),
    description: row.description,
    enabled: row.enabled === 1,
    disabledReason: row.disabled_reason as DisabledReason | null,
    secrets: { current: row.secret, previous },
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toRow(endpoint: WebhookEndpoint): WebhookRow {
  return {
    webhook_id: endpoint.webhookId,
    url: endpoint.url,
    events: JSON.stringify(endpoint.events),
    account_ids: endpoint.accountIds === null ? null : JSON.stringify(endpoint.accountIds),
    description: endpoint.description,
    enabled: endpoint.enabled ? 1 : 0,
    disabled_reason: endpoint.disabledReason,
    secret: endpoint.secrets.current,
    previous_secret: endpoint.secrets.previous?.secret ?? null,
    previous_secret_expires_at: endpoint.secrets.previous?.expiresAt ?? null,
    created_at: endpoint.createdAt,
    updated_at: endpoint.updatedAt,
  };
}
