import { Webhook } from 'standardwebhooks';

export interface SignatureHeaders {
  'webhook-id': string;
  /** Unix seconds. */
  'webhook-timestamp': string;
  /** `v1,<base64>` per secret, space-separated (two during a rotation). */
  'webhook-signature': string;
}

/**
 * The Standard Webhooks headers of one attempt, signed afresh at `timestampMs` with every secret that
 * signs at that time (webhook-endpoint.ts `signingSecrets`): HMAC-SHA256 of `{id}.{timestamp}.{body}`
 * keyed by each secret's decoded bytes, made by the reference package so receivers using it agree.
 */
export function signatureHeaders(eventId: string, timestampMs: number, body: string, secrets: string[]): SignatureHeaders {
  const at = new Date(timestampMs);
  return {
    'webhook-id': eventId,
    'webhook-timestamp': String(Math.floor(timestampMs / 1000)),
    'webhook-signature': secrets.map((secret) => new Webhook(secret).sign(eventId, at, body)).join(' '),
  };
}
