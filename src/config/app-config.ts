import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { AllowHosts } from '../outbound/allow-hosts';
import { SECRET_VARIABLES } from './env-rules';
import { EnvDto } from './env.dto';

export type StoreKind = 'sqlite' | 'firestore';
export type ProviderKind = 'baileys' | 'simulator';

/** The validated, defaulted configuration. The only reader of `process.env` is `loadAppConfig`. */
export class AppConfig {
  readonly port: number;
  readonly host: string;
  readonly workerId: string;
  /** A fresh id per process start: a restart with the same WORKER_ID is a new life (see CONTRACT). */
  readonly incarnation: string;
  readonly store: StoreKind;
  readonly sqlitePath: string;
  /** Store calls that may wait for the sqlite store before API requests are refused (see StoreQueueLimits). */
  readonly storeQueueLimit: number;
  /** How long an API request waits for the store before it answers 503 (StoreNoAnswer). */
  readonly storeDeadlineMs: number;
  /** Directory of the provider-event spool; each process writes its own file there. */
  readonly spoolPath: string;
  /** How often spooled events are offered to the store again. */
  readonly spoolRetryMs: number;
  readonly firebaseProjectId?: string;
  readonly firestoreEmulatorHost?: string;
  readonly provider: ProviderKind;
  readonly apiKeys: string[];
  readonly insecureNoAuth: boolean;
  readonly outboxLeaseMs: number;
  readonly outboxPollMs: number;
  readonly outboxMaxAttempts: number;
  readonly accountLeaseMs: number;
  readonly accountCapacity: number;
  readonly sendMinIntervalMs: number;
  /** `WA_WEB_VERSION` as Baileys' `version` ([major, minor, build]); null: Baileys' built-in version. */
  readonly waWebVersion: readonly [number, number, number] | null;
  /** How long an account is paused for WhatsApp's limits (accounts/account-pause.ts). */
  readonly pauses: {
    readonly rateOverlimitMs: number;
    readonly rateOverlimitMaxMs: number;
    readonly reachOutLockMs: number;
  };
  /** How many sends one account may have in flight in this process (with pacing off); no env setting. */
  readonly maxInFlightPerAccount: number;
  readonly simulator: {
    readonly sendMs: number;
    readonly failureRate: number;
    readonly requireScan: boolean;
    readonly logPath?: string;
  };
  readonly logLevel: string;
  /** Requests per minute per API key on /api routes; 0: no limit. */
  readonly rateLimitPerMinute: number;
  readonly eventRetentionDays: number;
  readonly eventStreamPollMs: number;
  /** Firestore: how far behind now the event log is read (events/firestore/event-log.repository.firestore.ts). */
  readonly eventSettleMs: number;
  /** How often an open event stream sends a `: ping` comment (15 s; tests shorten it). */
  readonly eventStreamPingMs: number;
  /** Hosts outbound requests (webhooks, media URLs) may reach past the address rules. */
  readonly outboundAllowHosts: AllowHosts;
  /** MEDIA_DOWNLOAD: `all` downloads every inbound file into the blob store; `none` keeps only its message. */
  readonly mediaDownload: 'all' | 'none';
  /** `WEBHOOK_URL` + `WEBHOOK_SECRET`: endpoint `wh_env`, declared at each start; null when unset. */
  readonly envWebhook: { readonly url: string; readonly secret: string } | null;
  /** `METRICS_TOKEN`: the bearer token `/metrics` asks for; null: open like the health probes. */
  readonly metricsToken: string | null;
  /** `METRICS_STORE_READ_MS`: one store read per scrape-time metric family per this long (10 s). */
  readonly metricsStoreReadMs: number;
  readonly webhookTimeoutMs: number;
  readonly webhookConcurrency: number;
  readonly webhookMaxAttempts: number;
  /** How often the dispatcher reads the event log for events to fan out (the first attempt waits at most this). */
  readonly webhookDispatchPollMs: number;
  /** MEDIA_MAX_MB: the document limit (the other types' are WhatsApp's, media/media-limits.ts). */
  readonly mediaMaxMb: number;
  readonly mediaFetchTimeoutMs: number;
  /** sqlite: where the media blobs are kept (media/local/). */
  readonly mediaPath: string;
  /** Firestore: the bucket the media blobs are kept in (media/gcs/); null on sqlite. */
  readonly mediaBucket: string | null;
  /** Where signed media links point: `{publicUrl}/media/…`, no trailing slash. */
  readonly publicUrl: string;
  /** MEDIA_LINK_SECRET; null: generated beside the database (sqlite) or no links (Firestore). */
  readonly mediaLinkSecret: string | null;
  readonly mediaLinkTtlS: number;

  constructor(values: Omit<AppConfig, 'owner'>) {
    Object.assign(this, values);
  }

  /** The owner string written into account and outbox docs: `{WORKER_ID}/{incarnation}`. */
  get owner(): string {
    return `${this.workerId}/${this.incarnation}`;
  }
}

export class ConfigError extends Error {}

export function loadAppConfig(env: Record<string, string | undefined>, overrides: Partial<AppConfig> = {}): AppConfig {
  const dto = plainToInstance(EnvDto, pickKnown(env));
  const errors = validateSync(dto, { whitelist: true, forbidUnknownValues: false });
  if (errors.length > 0) {
    const lines = errors.map((e) => `${e.property}=${shown(e.property, env[e.property])}: ${Object.values(e.constraints ?? {}).join('; ')}`);
    throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const store = dto.STORE ?? 'sqlite';
  const sqlitePath = dto.SQLITE_PATH ?? './data/whatsapp.db';
  const config = new AppConfig({
    port: dto.PORT ?? 8080,
    host: dto.HOST ?? '0.0.0.0',
    workerId: dto.WORKER_ID ?? `worker_${randomUUID()}`,
    incarnation: randomUUID().slice(0, 8),
    store,
    sqlitePath,
    storeQueueLimit: dto.STORE_QUEUE_LIMIT ?? 1000,
    storeDeadlineMs: dto.STORE_DEADLINE_MS ?? 2000,
    // Beside the database file: the data directory the operator already keeps on a local disk.
    spoolPath: dto.SPOOL_PATH || join(dirname(sqlitePath), 'spool'),
    spoolRetryMs: dto.SPOOL_RETRY_MS ?? 2000,
    firebaseProjectId: dto.FIREBASE_PROJECT_ID,
    firestoreEmulatorHost: dto.FIRESTORE_EMULATOR_HOST,
    provider: dto.WA_PROVIDER ?? 'baileys',
    apiKeys: (dto.API_KEYS ?? '').split(',').map((k) => k.trim()).filter(Boolean),
    insecureNoAuth: dto.INSECURE_NO_AUTH ?? false,
    outboxLeaseMs: dto.OUTBOX_LEASE_MS ?? 60_000,
    outboxPollMs: dto.OUTBOX_POLL_MS ?? 1000,
    outboxMaxAttempts: dto.OUTBOX_MAX_ATTEMPTS ?? 5,
    accountLeaseMs: dto.ACCOUNT_LEASE_MS ?? 30_000,
    accountCapacity: dto.ACCOUNT_CAPACITY ?? 100,
    sendMinIntervalMs: dto.SEND_MIN_INTERVAL_MS ?? 1500,
    waWebVersion: dto.WA_WEB_VERSION ? (dto.WA_WEB_VERSION.split('.').map(Number) as [number, number, number]) : null,
    pauses: {
      rateOverlimitMs: dto.WA_PAUSE_DEFAULT_MS ?? 60_000,
      rateOverlimitMaxMs: dto.WA_PAUSE_MAX_MS ?? 15 * 60_000,
      reachOutLockMs: dto.WA_REACH_OUT_LOCK_MS ?? 60 * 60_000,
    },
    maxInFlightPerAccount: 64,
    simulator: {
      sendMs: dto.WA_SIMULATOR_SEND_MS ?? 0,
      failureRate: dto.WA_SIMULATOR_FAILURE_RATE ?? 0,
      requireScan: dto.WA_SIMULATOR_REQUIRE_SCAN ?? false,
      logPath: dto.WA_SIMULATOR_LOG || undefined,
    },
    logLevel: dto.LOG_LEVEL ?? 'info',
    rateLimitPerMinute: dto.RATE_LIMIT_PER_MINUTE ?? 6000,
    eventRetentionDays: dto.EVENT_RETENTION_DAYS ?? 30,
    eventStreamPollMs: dto.EVENT_STREAM_POLL_MS ?? 250,
    eventSettleMs: dto.EVENT_SETTLE_MS ?? 1_000,
    eventStreamPingMs: 15_000,
    outboundAllowHosts: AllowHosts.parse(dto.OUTBOUND_ALLOW_HOSTS),
    mediaDownload: dto.MEDIA_DOWNLOAD ?? 'all',
    envWebhook: dto.WEBHOOK_URL && dto.WEBHOOK_SECRET ? { url: dto.WEBHOOK_URL, secret: dto.WEBHOOK_SECRET } : null,
    metricsToken: dto.METRICS_TOKEN ?? null,
    metricsStoreReadMs: dto.METRICS_STORE_READ_MS ?? 10_000,
    webhookTimeoutMs: dto.WEBHOOK_TIMEOUT_MS ?? 10_000,
    webhookConcurrency: dto.WEBHOOK_CONCURRENCY ?? 4,
    webhookMaxAttempts: dto.WEBHOOK_MAX_ATTEMPTS ?? 11,
    webhookDispatchPollMs: dto.WEBHOOK_DISPATCH_POLL_MS ?? 50,
    mediaMaxMb: dto.MEDIA_MAX_MB ?? 100,
    mediaFetchTimeoutMs: dto.MEDIA_FETCH_TIMEOUT_MS ?? 30_000,
    mediaPath: dto.MEDIA_PATH || join(dirname(sqlitePath), 'media'),
    mediaBucket: store === 'firestore' ? (dto.MEDIA_BUCKET ?? `${dto.FIREBASE_PROJECT_ID}.appspot.com`) : null,
    publicUrl: (dto.PUBLIC_URL ?? `http://localhost:${dto.PORT ?? 8080}`).replace(/\/+$/, ''),
    mediaLinkSecret: dto.MEDIA_LINK_SECRET ?? null,
    mediaLinkTtlS: dto.MEDIA_LINK_TTL_S ?? 900,
    ...overrides,
  });
  if (config.store === 'firestore' && config.apiKeys.length === 0 && !config.insecureNoAuth) {
    throw new ConfigError('Invalid configuration:\n  API_KEYS is required with STORE=firestore (several machines cannot share a generated key)');
  }
  if (config.store === 'firestore' && !config.firebaseProjectId) {
    throw new ConfigError('Invalid configuration:\n  FIREBASE_PROJECT_ID is required with STORE=firestore');
  }
  if (Boolean(dto.WEBHOOK_URL) !== Boolean(dto.WEBHOOK_SECRET)) {
    const [given, missing] = dto.WEBHOOK_URL ? ['WEBHOOK_URL', 'WEBHOOK_SECRET'] : ['WEBHOOK_SECRET', 'WEBHOOK_URL'];
    throw new ConfigError(`Invalid configuration:\n  ${missing} is required with ${given} (set both or neither)`);
  }
  if (config.pauses.rateOverlimitMaxMs < config.pauses.rateOverlimitMs) {
    throw new ConfigError('Invalid configuration:\n  WA_PAUSE_MAX_MS must be at least WA_PAUSE_DEFAULT_MS');
  }
  if (config.outboxPollMs >= config.outboxLeaseMs) {
    throw new ConfigError('Invalid configuration:\n  OUTBOX_POLL_MS must be below OUTBOX_LEASE_MS');
  }
  return config;
}

/** A rejected value as the error shows it: a secret's is not repeated (the message lands in logs). */
function shown(variable: string, value: string | undefined): string {
  return SECRET_VARIABLES.has(variable) ? '[redacted]' : JSON.stringify(value);
}

function pickKnown(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
}
