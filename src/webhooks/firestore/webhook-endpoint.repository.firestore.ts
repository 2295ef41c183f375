import { Injectable } from '@nestjs/common';
import { CollectionReference } from 'firebase-admin/firestore';
import { FirestoreStore } from '../../store/firestore/firestore-store';
import { DisabledReason, EndpointChanges, ENV_WEBHOOK_ID, WebhookEndpoint, declaredEnv, disabled, rotated, withChanges, withoutAccount } from '../webhook-endpoint';
import { WebhookEndpointRepository } from '../webhook-endpoint.repository';
import { removeDeliveriesOf } from './webhook-delivery-docs.firestore';
import { WebhookDoc, toEndpoint, toWebhookDoc, webhooksCollection } from './webhook-docs.firestore';

@Injectable()
export class FirestoreWebhookEndpointRepository extends WebhookEndpointRepository {
  constructor(private readonly store: FirestoreStore) {
    super();
  }

  async create(endpoint: WebhookEndpoint): Promise<void> {
    await this.webhooks().doc(endpoint.webhookId).create(toWebhookDoc(endpoint));
  }

  async get(webhookId: string): Promise<WebhookEndpoint | null> {
    const doc = await this.webhooks().doc(webhookId).get();
    return doc.exists ? toEndpoint(doc.data() as WebhookDoc) : null;
  }

  /** By the built-in single-field index on `createdAt`; ties in document-id order. */
  async list(): Promise<WebhookEndpoint[]> {
    const found = await this.webhooks().orderBy('createdAt').get();
    return found.docs.map((doc) => toEndpoint(doc.data() as WebhookDoc));
  }

  async update(webhookId: string, changes: EndpointChanges, now: number): Promise<WebhookEndpoint | null> {
    return this.change(webhookId, (endpoint) => endpoint && withChanges(endpoint, changes, now));
  }

  async rotateSecret(webhookId: string, secret: string, now: number): Promise<WebhookEndpoint | null> {
    return this.change(webhookId, (endpoint) => endpoint && rotated(endpoint, secret, now));
  }

  async disable(webhookId: string, reason: DisabledReason, now: number): Promise<WebhookEndpoint | null> {
    return this.change(webhookId, (endpoint) => endpoint && disabled(endpoint, reason, now));
  }

  /** Its delivery items, attempts and pause go with it, after it (see removeDeliveriesOf). */
  async delete(webhookId: string): Promise<boolean> {
    const existed = await this.store.db.runTransaction(async (tx) => {
      const ref = this.webhooks().doc(webhookId);
      if (!(await tx.get(ref)).exists) return false;
      tx.delete(ref);
      return true;
    });
    await removeDeliveriesOf(this.store.db, webhookId);
    return existed;
  }

  /** Found by `array-contains` (built-in index); each endpoint changed in its own transaction, re-read there. */
  async removeAccount(accountId: string, now: number): Promise<number> {
    const found = await this.webhooks().where('accountIds', 'array-contains', accountId).get();
    const changed = await Promise.all(found.docs.map((doc) => this.change(doc.id, (endpoint) => endpoint && withoutAccount(endpoint, accountId, now))));
    return changed.filter((endpoint) => endpoint !== null).length;
  }

  async upsertEnv(url: string, secret: string, now: number): Promise<WebhookEndpoint> {
    return (await this.change(ENV_WEBHOOK_ID, (endpoint) => declaredEnv(endpoint, url, secret, now)))!;
  }

  /** Reads the endpoint and writes what `apply` makes of it, in one transaction; null from `apply` writes nothing. */
  private change(webhookId: string, apply: (endpoint: WebhookEndpoint | null) => WebhookEndpoint | null): Promise<WebhookEndpoint | null> {
    const ref = this.webhooks().doc(webhookId);
    return this.store.db.runTransaction(async (tx) => {
      const doc = await tx.get(ref);
      const changed = apply(doc.exists ? toEndpoint(doc.data() as WebhookDoc) : null);
      if (changed) tx.set(ref, toWebhookDoc(changed));
      return changed;
    });
  }

  private webhooks(): CollectionReference {
    return webhooksCollection(this.store.db);
  }
}
