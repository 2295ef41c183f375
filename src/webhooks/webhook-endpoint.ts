import { randomBytes } from 'node:crypto';
import { InvalidInput } from '../common/errors';

/** An endpoint asks for some of the log's types (events/event.ts), or for `*`: all, those to come included. */
export const ALL_EVENTS = '*';

/** The endpoint WEBHOOK_URL + WEBHOOK_SECRET declare at each start. */
export const ENV_WEBHOOK_ID = 'wh_env';

/** After a rotation the previous secret signs beside the new one this long, while receivers switch. */
export const PREVIOUS_SECRET_LIFETIME_MS = 24 * 60 * 60 * 1000;

/** Why an endpoint is disabled: a 410 answer, its last account deleted, or a PATCH. */
export type DisabledReason = 'gone' | 'noAccounts' | 'byRequest';

export interface WebhookSecrets {
  current: string;
  previous: { secret: string; expiresAt: number } | null;
}

export interface WebhookEndpoint {
  webhookId: string;
  url: string;
  /** Event types, or `["*"]`. */
  events: string[];
  /** null: every account, those created later included. Empty only once its last account was deleted (it is then disabled). */
  accountIds: string[] | null;
  description: string | null;
  enabled: boolean;
  disabledReason: DisabledReason | null;
  /** Stored because they sign; answered only by create and rotate, never logged. */
  secrets: WebhookSecrets;
  createdAt: number;
  updatedAt: number;
}

/** What a PATCH may change. */
export interface EndpointChanges {
  url?: string;
  events?: string[];
  accountIds?: string[] | null;
  description?: string | null;
  enabled?: boolean;
}

/** `whsec_` + base64 of 32 random bytes, the Standard Webhooks form. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** The secrets that sign a delivery made at `now`: the current one, and the previous one until it expires. */
export function signingSecrets(secrets: WebhookSecrets, now: number): string[] {
  return secrets.previous && secrets.previous.expiresAt > now ? [secrets.current, secrets.previous.secret] : [secrets.current];
}

/*
 * The rules of each change, written once: both adapters read the endpoint, apply one of these and write
 * the result in one transaction, and the contract suite proves they agree.
 */

/** Enabling an endpoint whose accounts were all deleted needs a new list: it would match nothing. */
export function withChanges(endpoint: WebhookEndpoint, changes: EndpointChanges, now: number): WebhookEndpoint {
  const changed = { ...endpoint, ...definedOf(changes), updatedAt: now };
  if (changed.enabled && changed.accountIds?.length === 0) {
    throw new InvalidInput('accountIds', 'every account of this endpoint was deleted; give accountIds (or null for every account) to enable it');
  }
  if (changes.enabled === true) changed.disabledReason = null;
  if (changes.enabled === false && endpoint.enabled) changed.disabledReason = 'byRequest';
  return changed;
}

export function disabled(endpoint: WebhookEndpoint, reason: DisabledReason, now: number): WebhookEndpoint {
  return { ...endpoint, enabled: false, disabledReason: reason, updatedAt: now };
}

/** The previous secret is the one that was current, kept for a day; one older than that stops signing now. */
export function rotated(endpoint: WebhookEndpoint, secret: string, now: number): WebhookEndpoint {
  const previous = { secret: endpoint.secrets.current, expiresAt: now + PREVIOUS_SECRET_LIFETIME_MS };
  return { ...endpoint, secrets: { current: secret, previous }, updatedAt: now };
}

/**
 * A deleted account leaves the list (a re-created id starts with no endpoint); one left with none is
 * disabled with the empty list, which matches nothing: never widened to all (null).
 */
export function withoutAccount(endpoint: WebhookEndpoint, accountId: string, now: number): WebhookEndpoint {
  if (!endpoint.accountIds?.includes(accountId)) return endpoint;
  const accountIds = endpoint.accountIds.filter((id) => id !== accountId);
  const changed = { ...endpoint, accountIds, updatedAt: now };
  return accountIds.length > 0 ? changed : disabled(changed, 'noAccounts', now);
}

/**
 * `wh_env` as WEBHOOK_URL and WEBHOOK_SECRET declare it: every event, every account. A changed secret is
 * a rotation (the one stored keeps signing for a day, for receivers not switched yet); whether it is
 * enabled stays as it was, so a 410 is not undone by a restart (PATCH `enabled: true` is).
 */
export function declaredEnv(existing: WebhookEndpoint | null, url: string, secret: string, now: number): WebhookEndpoint {
  if (!existing) {
    return { webhookId: ENV_WEBHOOK_ID, url, events: [ALL_EVENTS], accountIds: null, description: 'WEBHOOK_URL', enabled: true, disabledReason: null, secrets: { current: secret, previous: null }, createdAt: now, updatedAt: now };
  }
  const declared = { ...existing, url, events: [ALL_EVENTS], accountIds: null };
  if (secret !== existing.secrets.current) return rotated(declared, secret, now);
  const same = url === existing.url && existing.events.join() === ALL_EVENTS && existing.accountIds === null;
  return same ? existing : { ...declared, updatedAt: now };
}

function definedOf(changes: EndpointChanges): EndpointChanges {
  return Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
}
