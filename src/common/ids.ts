import { randomBytes, randomUUID } from 'node:crypto';
import { InvalidInput } from './errors';

/**
 * Every id that becomes part of a store path is checked here, wherever it enters. None can hold `/`
 * (a path separator in Firestore) or `..`. An account id cannot hold `__`, the separator in
 * `{accountId}__{clientJid}`, `{accountId}__{requestId}` and `{accountId}__{direction}__{waMessageId}`,
 * but it may end in `_`: `acme_` + `x` is `acme___x`. Each of those ids still names one pair: a thread
 * id splits at its last `__` (a client JID holds no `_`, see jid.ts), and a request id (like a direction)
 * starts with a letter or digit, so `acme___x` is never `acme` + `_x`. Keep that first character rule:
 * a request id starting with `_` would make `a_` + `b` and `a` + `_b` the same outbox item. Only thread
 * ids are ever parsed; outbox and lookup ids are only built.
 */
export const ACCOUNT_ID_PATTERN = /^(?!.*__)[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
export const REQUEST_ID_PATTERN = /^(?!.*\.\.)[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
export const MESSAGE_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
/** WhatsApp message ids: Baileys makes 22 hex characters; other clients use up to ~40 alphanumerics. */
export const WA_MESSAGE_ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

/** `wh_` + random base64url; `wh_env` is the endpoint WEBHOOK_URL declares. */
export const WEBHOOK_ID_PATTERN = /^wh_[A-Za-z0-9_-]{1,64}$/;

export const ACCOUNT_ID_RULE = '1-64 letters, digits, "_" or "-", starting with a letter or digit, without "__"';
export const REQUEST_ID_RULE = '1-128 letters, digits, ".", "_", ":" or "-", starting with a letter or digit, without "/" or ".."';

export function isAccountId(value: unknown): value is string {
  return typeof value === 'string' && ACCOUNT_ID_PATTERN.test(value);
}

export function isRequestId(value: unknown): value is string {
  return typeof value === 'string' && REQUEST_ID_PATTERN.test(value);
}

export function assertAccountId(value: unknown, field = 'accountId'): string {
  if (!isAccountId(value)) throw new InvalidInput(field, `must be ${ACCOUNT_ID_RULE}`);
  return value;
}

export function assertMessageId(value: unknown, field = 'messageId'): string {
  if (typeof value !== 'string' || !MESSAGE_ID_PATTERN.test(value)) {
    throw new InvalidInput(field, 'must be 1-64 letters, digits, "_" or "-"');
  }
  return value;
}

export function assertWebhookId(value: unknown, field = 'webhookId'): string {
  if (typeof value !== 'string' || !WEBHOOK_ID_PATTERN.test(value)) throw new InvalidInput(field, 'must be "wh_" followed by 1-64 letters, digits, "_" or "-"');
  return value;
}

export function newMessageId(): string {
  return randomUUID().replaceAll('-', '');
}

export function newWebhookId(): string {
  return `wh_${randomBytes(12).toString('base64url')}`;
}

export function newRequestId(): string {
  return `req_${randomUUID()}`;
}

/** The outbox item id: idempotency keys are per account, so the account is in the path. */
export function outboxItemId(accountId: string, requestId: string): string {
  return `${accountId}__${requestId}`;
}
