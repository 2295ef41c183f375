import { CollectionReference, Firestore, Timestamp } from 'firebase-admin/firestore';
import { toMillis, toTimestamp } from '../../store/firestore/firestore-time';
import { DisabledReason, WebhookEndpoint } from '../webhook-endpoint';

/** `webhooks/{webhookId}`: server-only (firestore.rules refuses clients), the secrets in it. */
export const WEBHOOKS = 'webhooks';

export interface WebhookDoc {
  webhookId: string;
  url: string;
  events: string[];
  accountIds: string[] | null;
  description: string | null;
  enabled: boolean;
  disabledReason: string | null;
  secret: string;
  previousSecret: string | null;
  previousSecretExpiresAt: Timestamp | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export function webhooksCollection(db: Firestore): CollectionReference {
  return db.collection(WEBHOOKS);
}

export function toWebhookDoc(endpoint: WebhookEndpoint): WebhookDoc {
  const { secrets, createdAt, updatedAt, ...fields } = endpoint;
  return {
    ...fields,
    secret: secrets.current,
    previousSecret: secrets.previous?.secret ?? null,
    previousSecretExpiresAt: toTimestamp(secrets.previous?.expiresAt ?? null),
    createdAt: toTimestamp(createdAt),
    updatedAt: toTimestamp(updatedAt),
  };
}

export function toEndpoint(doc: WebhookDoc): WebhookEndpoint {
  const previous = doc.previousSecret === null ? null : { secret: doc.previousSecret, expiresAt: toMillis(doc.previousSecretExpiresAt)! };
  return {
    webhookId: doc.webhookId,
    url: doc.url,
    events: doc.events,
    accountIds: doc.accountIds,
    description: doc.description,
    enabled: doc.enabled,
    disabledReason: doc.disabledReason as DisabledReason | null,
    secrets: { current: doc.secret, previous },
    createdAt: toMillis(doc.createdAt),
    updatedAt: toMillis(doc.updatedAt),
  };
}
