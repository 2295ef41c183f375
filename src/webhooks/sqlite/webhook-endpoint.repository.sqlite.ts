import { Injectable } from '@nestjs/common';
import { SqliteStore } from '../../store/sqlite/sqlite-store';
import { DisabledReason, EndpointChanges, ENV_WEBHOOK_ID, WebhookEndpoint, declaredEnv, disabled, rotated, withChanges, withoutAccount } from '../webhook-endpoint';
import { WebhookEndpointRepository } from '../webhook-endpoint.repository';
import { WebhookRow, toEndpoint, toRow } from './webhook-rows.sqlite';

const COLUMNS = ['webhook_id', 'url', 'events', 'account_ids', 'description', 'enabled', 'disabled_reason', 'secret', 'previous_secret', 'previous_secret_expires_at', 'created_at', 'updated_at'];
const INSERT = `INSERT INTO webhooks (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map((c) => `@${c}`).join(', ')})`;
const SAVE = `${INSERT} ON CONFLICT (webhook_id) DO UPDATE SET ${COLUMNS.filter((c) => c !== 'webhook_id' && c !== 'created_at')
  .map((c) => `${c} = excluded.${c}`)
  .join(', ')}`;

@Injectable()
export class SqliteWebhookEndpointRepository extends WebhookEndpointRepository {
  constructor(private readonly store: SqliteStore) {
    super();
  }

  async create(endpoint: WebhookEndpoint): Promise<void> {
    this.store.statement(INSERT).run(toRow(endpoint));
  }

  async get(webhookId: string): Promise<WebhookEndpoint | null> {
    return this.read(webhookId);
  }

  async list(): Promise<WebhookEndpoint[]> {
    return (this.store.statement('SELECT * FROM webhooks ORDER BY created_at, webhook_id').all() as WebhookRow[]).map(toEndpoint);
  }

  async update(webhookId: string, changes: EndpointChanges, now: number): Promise<WebhookEndpoint | null> {
    return this.change(webhookId, (endpoint) => withChanges(endpoint, changes, now));
  }

  async rotateSecret(webhookId: string, secret: string, now: number): Promise<WebhookEndpoint | null> {
    return this.change(webhookId, (endpoint) => rotated(endpoint, secret, now));
  }

  async disable(webhookId: string, reason: DisabledReason, now: number): Promise<WebhookEndpoint | null> {
    return this.change(webhookId, (endpoint) => disabled(endpoint, reason, now));
  }

  /** Its delivery items, attempts and pause go with it, in the same transaction. */
  async delete(webhookId: string): Promise<boolean> {
    return this.store.transaction(() => {
      for (const table of ['webhook_deliveries', 'webhook_attempts', 'webhook_pauses']) this.store.statement(`DELETE FROM ${table} WHERE webhook_id = ?`).run(webhookId);
      return this.store.statement('DELETE FROM webhooks WHERE webhook_id = ?').run(webhookId).changes > 0;
    });
  }

  async removeAccount(accountId: string, now: number): Promise<number> {
    return this.store.transaction(() => {
      const rows = this.store
        .statement('SELECT * FROM webhooks WHERE account_ids IS NOT NULL AND EXISTS (SELECT 1 FROM json_each(webhooks.account_ids) WHERE value = ?)')
        .all(accountId) as WebhookRow[];
      for (const row of rows) this.save(withoutAccount(toEndpoint(row), accountId, now));
      return rows.length;
    });
  }

  async upsertEnv(url: string, secret: string, now: number): Promise<WebhookEndpoint> {
    return this.store.transaction(() => this.save(declaredEnv(this.read(ENV_WEBHOOK_ID), url, secret, now)));
  }

  private change(webhookId: string, apply: (endpoint: WebhookEndpoint) => WebhookEndpoint): WebhookEndpoint | null {
    return this.store.transaction(() => {
      const endpoint = this.read(webhookId);
      return endpoint && this.save(apply(endpoint));
    });
  }

  private read(webhookId: string): WebhookEndpoint | null {
    const row = this.store.statement('SELECT * FROM webhooks WHERE webhook_id = ?').get(webhookId) as WebhookRow | undefined;
    return row ? toEndpoint(row) : null;
  }

  private save(endpoint: WebhookEndpoint): WebhookEndpoint {
    this.store.statement(SAVE).run(toRow(endpoint));
    return endpoint;
  }
}
