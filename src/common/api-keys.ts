import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config';

/**
 * The API keys this instance accepts. From API_KEYS; with none on sqlite, a key generated at first
 * start and kept beside the database (mode 0600), so a fresh machine is closed from its first second.
 */
@Injectable()
export class ApiKeys {
  private readonly logger = new Logger('ApiKeys');
  private readonly digests: Buffer[];
  readonly required: boolean;

  constructor(config: AppConfig) {
    this.required = !config.insecureNoAuth;
    const keys = config.apiKeys.length > 0 ? config.apiKeys : this.required ? [this.generatedKey(config)] : [];
    this.digests = keys.map(digest);
    if (!this.required) this.logger.warn('INSECURE_NO_AUTH=true: every /api route is open to anyone who can reach this port; local development only');
  }

  /** Constant time: both sides are hashed to equal length, and every key is compared. */
  accepts(presented: string): boolean {
    const candidate = digest(presented);
    let match = false;
    for (const known of this.digests) match = timingSafeEqual(known, candidate) || match;
    return match;
  }

  private generatedKey(config: AppConfig): string {
    // Firestore without API_KEYS is refused by loadAppConfig: several machines cannot share a file.
    const path = resolve(join(dirname(config.sqlitePath), 'api-key'));
    if (existsSync(path)) {
      this.logger.log({ path }, 'API key: using the generated key kept at this path');
      return readFileSync(path, 'utf8').trim();
    }
    mkdirSync(dirname(path), { recursive: true });
    const key = randomBytes(24).toString('base64url');
    try {
      writeFileSync(path, `${key}\n`, { mode: 0o600, flag: 'wx' });
    } catch (error) {
      // Another process on the same database wrote it first: use theirs.
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return readFileSync(path, 'utf8').trim();
      throw error;
    }
    chmodSync(path, 0o600);
    this.logger.warn({ path }, 'API key: none configured (API_KEYS); generated one, read it from this file (mode 0600)');
    return key;
  }
}

function digest(key: string): Buffer {
  return createHash('sha256').update(key).digest();
}
