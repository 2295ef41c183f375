import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsNumber, IsOptional, IsString, Matches, Max, Min, Validate } from 'class-validator';
import { AllowHostsList, HttpUrl, WebhookSecret } from './env-rules';

const toNumber = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));
const toBool = ({ value }: { value: unknown }) => {
  if (value === undefined || value === '') return undefined;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  return value;
};

/**
 * The environment as the process receives it. Every field is optional here: defaults live in
 * `AppConfig`, so `.env.example` and this class are the two places to read about a variable.
 */
export class EnvDto {
  @IsOptional() @Transform(toNumber) @IsInt() @Min(0) @Max(65535)
  PORT?: number;

  @IsOptional() @IsString()
  HOST?: string;

  @IsOptional() @Matches(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, { message: 'must be 1-64 letters, digits, "_", "-" or "."' })
  WORKER_ID?: string;

  @IsOptional() @IsIn(['sqlite', 'firestore'])
  STORE?: 'sqlite' | 'firestore';

  @IsOptional() @IsString()
  SQLITE_PATH?: string;

  /** How many sqlite store calls may wait before an API request is refused with 503 (internal callers: 4x). */
  @IsOptional() @Transform(toNumber) @IsInt() @Min(1) @Max(1_000_000)
  STORE_QUEUE_LIMIT?: number;

  /** How long an API request waits for the store before it answers 503 with Retry-After. */
  @IsOptional() @Transform(toNumber) @IsInt() @Min(100) @Max(60_000)
  STORE_DEADLINE_MS?: number;

  /** The directory of the provider-event spool (inbound messages and receipts the store did not take); empty: the default. */
  @IsOptional() @IsString()
  SPOOL_PATH?: string;

  @IsOptional() @Transform(toNumber) @IsInt() @Min(10) @Max(600_000)
  SPOOL_RETRY_MS?: number;

  @IsOptional() @Matches(/^[a-z][a-z0-9-]{4,29}$/, { message: 'must be a Google Cloud project id' })
  FIREBASE_PROJECT_ID?: string;

  @IsOptional() @Matches(/^[A-Za-z0-9.\-[\]:]+:\d+$/, { message: 'must be host:port' })
  FIRESTORE_EMULATOR_HOST?: string;

  @IsOptional() @IsIn(['baileys', 'simulator'])
  WA_PROVIDER?: 'baileys' | 'simulator';

  @IsOptional() @Matches(/^\s*[\x21-\x7e]{16,256}\s*(,\s*[\x21-\x7e]{16,256}\s*)*$/, {
    message: 'must be a comma-separated list of keys, each 16-256 printable characters',
  })
  API_KEYS?: string;

  @IsOptional() @Transform(toBool) @IsBoolean()
  INSECURE_NO_AUTH?: boolean;

  @IsOptional() @Transform(toNumber) @IsInt() @Min(1000) @Max(3_600_000)
  OUTBOX_LEASE_MS?: number;

  @IsOptional() @Transform(toNumber) @IsInt() @Min(10) @Max(600_000)
  OUTBOX_POLL_MS?: number;

  @IsOptional() @Transform(toNumber) @IsInt() @Min(1) @Max(100)
  OUTBOX_MAX_ATTEMPTS?: number;

  @IsOptional() @Transform(toNumber) @IsInt() @Min(3000) @Max(3_600_000)
  ACCOUNT_LEASE_MS?: number;

  @IsOptional() @Transform(toNumber) @IsInt() @Min(1) @Max(10_000)
  ACCOUNT_CAPACITY?: number;

  @IsOptional() @Transform(toNumber) @IsInt() @Min(0) @Max(600_000)
  SEND_MIN_INTERVAL_MS?: number;

  /** The WhatsApp Web version Baileys announces (its built-in one when unset), e.g. 2.3000.1023223821. */
  @IsOptional() @Matches(/^\d{1,6}\.\d{1,6}\.\d{1,12}$/, { message: 'must be three dot-separated integers, e.g. 2.3000.1023223821' })
  WA_WEB_VERSION?: string;

  /** An account's first pause on rate-overlimit (429), and the pause when WhatsApp gives no end; doubled on repeats. */
  @IsOptional() @Transform(toNumber) @IsInt() @Min(100) @Max(86_400_000)
  WA_PAUSE_DEFAULT_MS?: number;

  /** The longest a rate-overlimit pause grows to by doubling. */
  @IsOptional() @Transform(toNumber) @IsInt() @Min(100) @Max(86_400_000)
  WA_PAUSE_MAX_MS?: number;

  /** A reach-out lock's (463) pause when WhatsApp does not say when the lock ends. */
  @IsOptional() @Transform(toNumber) @IsInt() @Min(100) @Max(7 * 86_400_000)
  WA_REACH_OUT_LOCK_MS?: number;

  @IsOptional() @Transform(toNumber) @IsInt() @Min(0) @Max(600_000)
  WA_SIMULATOR_SEND_MS?: number;

  @IsOptional() @Transform(toNumber) @IsNumber() @Min(0) @Max(1)
  WA_SIMULATOR_FAILURE_RATE?: number;

  @IsOptional() @Transform(toBool) @IsBoolean()
  WA_SIMULATOR_REQUIRE_SCAN?: boolean;

  @IsOptional() @IsString()
  WA_SIMULATOR_LOG?: string;

  @IsOptional() @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL?: string;

  /** Requests per minute one API key may make on /api routes; 0 turns the limit off (benchmarks). */
  @IsOptional() @Transform(toNumber) @IsInt() @Min(0) @Max(1_000_000)
  RATE_LIMIT_PER_MINUTE?: number;

  /** Days events (and their deliveries) are kept; a stream cursor older than that is told to reset. */
  @IsOptional() @Transform(toNumber) @IsInt() @Min(1) @Max(3650)
  EVENT_RETENTION_DAYS?: number;

  /** Firestore: how long after its commit time an event is first read (commits not yet visible must not be passed). */
  @IsOptional() @Transform(toNumber) @IsInt() @Min(0) @Max(120_000)
  EVENT_SETTLE_MS?: number;

  /** How often an open event stream reads the log for what other instances appended. */
  @IsOptional() @Transform(toNumber) @IsInt() @Min(10) @Max(60_000)
  EVENT_STREAM_POLL_MS?: number;

  /** Hosts (`host` or `host:port`, comma-separated) outbound requests may reach past the address rules: local receivers, tests. */
  @IsOptional() @Validate(AllowHostsList)
  OUTBOUND_ALLOW_HOSTS?: string;

  /** With WEBHOOK_SECRET: endpoint `wh_env`, for every event of every account, declared at each start. */
  @IsOptional() @Validate(HttpUrl)
  WEBHOOK_URL?: string;

  @IsOptional() @Validate(WebhookSecret)
  WEBHOOK_SECRET?: string;

  /** When set, `/metrics` asks for `Authorization: Bearer {METRICS_TOKEN}`. */
  @IsOptional() @Matches(/^[\x21-\x7e]{16,200}$/, { message: 'must be 16 to 200 printable characters, no spaces' })
  METRICS_TOKEN?: string;

  /** How long a scrape-time gauge's store read is shared by later scrapes (10 s; tests shorten it). */
  @IsOptional() @Transform(toNumber) @IsInt() @Min(0) @Max(300_000)
  METRICS_STORE_READ_MS?: number;

  /** One delivery attempt, connection to the end of the answer. */
  @IsOptional() @Transform(toNumber) @IsInt() @Min(100) @Max(300_000)
  WEBHOOK_TIMEOUT_MS?: number;

  /** Inbound media: `all` downloads every received file into the blob store, `none` keeps only its message. */
  @IsOptional() @IsIn(['all', 'none'])
  MEDIA_DOWNLOAD?: 'all' | 'none';

  /** Attempts in flight per endpoint in this process. */
  @IsOptional() @Transform(toNumber) @IsInt() @Min(1) @Max(64)
  WEBHOOK_CONCURRENCY?: number;

  @IsOptional() @Transform(toNumber) @IsInt() @Min(1) @Max(100)
  WEBHOOK_MAX_ATTEMPTS?: number;

  /** How often the dispatcher reads the event log for events to fan out to endpoints. */
  @IsOptional() @Transform(toNumber) @IsInt() @Min(5) @Max(60_000)
  WEBHOOK_DISPATCH_POLL_MS?: number;

  /** The largest document sent or received, in MiB (images, video, audio and stickers have WhatsApp's own limits). */
  @IsOptional() @Transform(toNumber) @IsInt() @Min(1) @Max(2_048)
  MEDIA_MAX_MB?: number;

  /** Fetching a send's `media.url` at accept, connection to the last byte. */
  @IsOptional() @Transform(toNumber) @IsInt() @Min(100) @Max(600_000)
  MEDIA_FETCH_TIMEOUT_MS?: number;

  /** sqlite: the directory of the media blobs; empty: `media` beside the database file (./data/media). */
  @IsOptional() @IsString()
  MEDIA_PATH?: string;

  /** Firestore: the Cloud Storage bucket of the media blobs; unset: the project's default bucket, `{FIREBASE_PROJECT_ID}.appspot.com`. */
  @IsOptional() @Matches(/^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/, { message: 'must be a Cloud Storage bucket name (lowercase letters, digits, dots, dashes and underscores)' })
  MEDIA_BUCKET?: string;

  /** The address clients reach this service at, as signed media links begin (`{PUBLIC_URL}/media/…`); default http://localhost:{PORT}. */
  @IsOptional() @Validate(HttpUrl)
  PUBLIC_URL?: string;

  /** The HMAC key of signed media links; unset: generated and kept beside the database (sqlite), no links (Firestore). */
  @IsOptional() @Matches(/^[\x21-\x7e]{32,200}$/, { message: 'must be 32 to 200 printable characters, no spaces' })
  MEDIA_LINK_SECRET?: string;

  /** How long a signed media link stays valid, in seconds. */
  @IsOptional() @Transform(toNumber) @IsInt() @Min(1) @Max(7 * 24 * 3600)
  MEDIA_LINK_TTL_S?: number;
}
