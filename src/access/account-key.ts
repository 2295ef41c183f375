import { createHash, randomBytes } from 'node:crypto';
import { InvalidInput } from '../common/errors';
import { assertAccountId } from '../common/ids';

/** What an account key may do on its accounts: send; read threads, messages, events; manage linking, webhooks, the simulator. */
export const SCOPES = ['send', 'read', 'manage'] as const;
export type Scope = (typeof SCOPES)[number];

/** `key_` + 16 base64url characters: fixed length, so the key `wak_{keyId}_{secret}` splits without doubt. */
export const KEY_ID_PATTERN = /^key_[A-Za-z0-9_-]{16}$/;
const ACCOUNT_KEY_PATTERN = /^wak_(key_[A-Za-z0-9_-]{16})_[A-Za-z0-9_-]{43}$/;
const NAME_MAX = 100;

/** An account key as stored: its SHA-256 (hex) only, never the key, which its creator sees once. */
export interface AccountKey {
  keyId: string;
  name: string;
  /** Never empty: a key whose last account is deleted is deleted with it. */
  accountIds: string[];
  scopes: Scope[];
  hash: string;
  createdAt: number;
}

export interface AccountKeyRequest {
  name: unknown;
  accountIds: unknown;
  scopes: unknown;
}

/** A new key from a request checked here; answers the record to store and the key to show once. */
export function newAccountKey(request: AccountKeyRequest, now: number): { record: AccountKey; key: string } {
  const keyId = `key_${randomBytes(12).toString('base64url')}`;
  const key = `wak_${keyId}_${randomBytes(32).toString('base64url')}`;
  const record = { keyId, name: nameOf(request.name), accountIds: accountIdsOf(request.accountIds), scopes: scopesOf(request.scopes), hash: keyHash(key), createdAt: now };
  return { record, key };
}

/** The keyId a presented account key names, or undefined when it has not the account key's form. */
export function keyIdOf(presented: string): string | undefined {
  return ACCOUNT_KEY_PATTERN.exec(presented)?.[1];
}

export function keyHash(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function assertKeyId(value: unknown, field = 'keyId'): string {
  if (typeof value !== 'string' || !KEY_ID_PATTERN.test(value)) throw new InvalidInput(field, 'must be "key_" followed by 16 letters, digits, "_" or "-"');
  return value;
}

/** What a key left with after an account's deletion: null when none is left (the key goes with it). */
export function withoutAccount(key: AccountKey, accountId: string): AccountKey | null {
  const accountIds = key.accountIds.filter((id) => id !== accountId);
  return accountIds.length > 0 ? { ...key, accountIds } : null;
}

function nameOf(value: unknown): string {
  if (typeof value !== 'string' || value.trim().length === 0 || value.length > NAME_MAX) throw new InvalidInput('name', `must be a text of 1-${NAME_MAX} characters`);
  return value;
}

function accountIdsOf(value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0) throw new InvalidInput('accountIds', 'must be a non-empty list of account ids');
  return [...new Set(value.map((id, i) => assertAccountId(id, `accountIds[${i}]`)))];
}

function scopesOf(value: unknown): Scope[] {
  if (!Array.isArray(value) || value.length === 0) throw new InvalidInput('scopes', `must be a non-empty list of ${SCOPES.join(', ')}`);
  value.forEach((scope, i) => {
    if (!SCOPES.includes(scope as Scope)) throw new InvalidInput(`scopes[${i}]`, `must be one of ${SCOPES.join(', ')}`);
  });
  return SCOPES.filter((scope) => value.includes(scope));
}
