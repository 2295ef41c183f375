import { createHash, timingSafeEqual } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { Injectable, Logger } from '@nestjs/common';
import { FastifyRequest } from 'fastify';
import { keptSecret } from '../common/kept-secret';
import { AppConfig } from '../config/app-config';
import { keyIdOf } from './account-key';
import { AccountKeyLookup, KEY_LOOKUP_TTL_MS } from './account-key-lookup';
import { ADMIN, Caller } from './caller';

/** An admin key this instance accepts, known by its SHA-256 only. */
interface KnownKey {
  readonly digest: Buffer;
  readonly hash: string;
}

/** A key we accept: who it makes the caller, and its SHA-256 (hex), which names it in the rate limit. */
export interface AcceptedKey {
  readonly caller: Caller;
  readonly hash: string;
}

/** What a request's key turned out to be: one of ours, none presented, or one we do not accept. */
export type KeyCheck = AcceptedKey | 'missing' | 'refused';

/**
 * The API keys this instance accepts. Admin keys from API_KEYS; with none on sqlite, a key generated at
 * first start and kept beside the database (mode 0600), so a fresh machine is closed from its first second.
 * Account keys (`wak_{keyId}_…`, made by an admin) are looked up by keyId in the store (AccountKeyLookup).
 */
@Injectable()
export class ApiKeys {
  private readonly logger = new Logger('ApiKeys');
  private readonly known: KnownKey[];
  private readonly checked = new WeakMap<FastifyRequest, Promise<KeyCheck>>();
  readonly required: boolean;

  constructor(
    config: AppConfig,
    private readonly accountKeys: AccountKeyLookup,
  ) {
    this.required = !config.insecureNoAuth;
    const keys = config.apiKeys.length > 0 ? config.apiKeys : this.required ? [this.generatedKey(config)] : [];
    this.known = keys.map(knownKey);
    if (!this.required) this.logger.warn('INSECURE_NO_AUTH=true: every /api route is open to anyone who can reach this port; local development only');
  }

  /** Hashed and compared once per request: the rate limit (a Fastify hook) asks first, the API-key guard after. */
  check(request: FastifyRequest): Promise<KeyCheck> {
    let outcome = this.checked.get(request);
    if (outcome === undefined) {
      const presented = presentedKey(request);
      outcome = presented === undefined ? Promise.resolve('missing') : this.match(presented);
      this.checked.set(request, outcome);
    }
    return outcome;
  }

  /** Constant time: both sides are hashed to equal length, and every admin key is compared. */
  private async match(presented: string): Promise<KeyCheck> {
    const candidate = sha256(presented);
    let admin: KnownKey | undefined;
    for (const known of this.known) if (timingSafeEqual(known.digest, candidate)) admin = known;
    if (admin) return { caller: ADMIN, hash: admin.hash };
    const keyId = keyIdOf(presented);
    const key = keyId === undefined ? null : await this.accountKeys.find(keyId);
    if (!key || !timingSafeEqual(Buffer.from(key.hash, 'hex'), candidate)) return 'refused';
    return { caller: { admin: false, keyId: key.keyId, accountIds: key.accountIds, scopes: key.scopes }, hash: key.hash };
  }

  /**
   * Resolves once an account key is deleted, asked as often as lookups expire (so within the same 5 s as
   * its requests); never for an admin key. Stops asking once `until` settles. A failed read keeps the key.
   */
  whenRevoked(caller: Caller, until: Promise<void>): Promise<void> {
    if (caller.admin) return new Promise(() => {});
    let done = false;
    void until.then(() => (done = true));
    return new Promise((resolve) => {
      const ask = async () => {
        if (done) return;
        if ((await this.accountKeys.find(caller.keyId).catch(() => undefined)) === null) return resolve();
        setTimeout(ask, KEY_LOOKUP_TTL_MS).unref();
      };
      setTimeout(ask, KEY_LOOKUP_TTL_MS).unref();
    });
  }

  private generatedKey(config: AppConfig): string {
    // Firestore without API_KEYS is refused by loadAppConfig: several machines cannot share a file.
    const path = resolve(join(dirname(config.sqlitePath), 'api-key'));
    const { secret, generated } = keptSecret(path, 24);
    if (generated) this.logger.warn({ path }, 'API key: none configured (API_KEYS); generated one, read it from this file (mode 0600)');
    else this.logger.log({ path }, 'API key: using the generated key kept at this path');
    return secret;
  }
}

/** The key a request presents: `x-api-key`, or `Authorization: Bearer <key>`. */
function presentedKey(request: FastifyRequest): string | undefined {
  const header = request.headers['x-api-key'];
  if (typeof header === 'string' && header.length > 0) return header;
  const authorization = request.headers.authorization;
  const bearer = typeof authorization === 'string' ? /^Bearer\s+(\S+)$/i.exec(authorization) : null;
  return bearer?.[1];
}

function knownKey(key: string): KnownKey {
  const digest = sha256(key);
  return { digest, hash: digest.toString('hex') };
}

function sha256(key: string): Buffer {
  return createHash('sha256').update(key).digest();
}
