import { generateMessageIDV2, type WAVersion } from '@whiskeysockets/baileys';
import { isAccountId } from '../../common/ids';
import { ProviderEventDrops } from '../provider-event-drops';
import { WhatsAppProvider, type OpenOptions, type ProviderConnection } from '../whatsapp-provider';
import { AccountConnection } from './account-connection';
import { ExpiringCache } from './expiring-cache';
import type { SocketFactory, SocketLogger } from './socket-factory';

/** Baileys' own retry-counter TTL (`DEFAULT_CACHE_TTLS.MSG_RETRY`). */
const MSG_RETRY_TTL_MS = 60 * 60_000;

export interface SocketProviderOptions {
  logger: SocketLogger;
  waWebSocketUrl?: string;
  waWebVersion?: WAVersion;
  drops?: ProviderEventDrops;
}

/**
 * A `WhatsAppProvider` over any `SocketFactory`: the Baileys provider and the simulator differ only in the
 * factory, so both run the same connection and event translation code. It keeps per account what must
 * outlive a socket (the message-retry counters) and the account's latest connection, which a new `open`
 * closes first: one socket per account per process.
 */
export class SocketWhatsAppProvider extends WhatsAppProvider {
  readonly drops: ProviderEventDrops;
  private readonly retryCounters = new Map<string, ExpiringCache>();
  private readonly latest = new Map<string, AccountConnection>();

  constructor(
    private readonly socketFactory: SocketFactory,
    private readonly options: SocketProviderOptions,
  ) {
    super();
    this.drops = options.drops ?? new ProviderEventDrops();
  }

  open(options: OpenOptions): ProviderConnection {
    const { accountId } = options;
    if (!isAccountId(accountId)) throw new Error(`cannot open a connection for account id "${accountId}"`);
    const previous = this.latest.get(accountId);
    const connection = new AccountConnection(options, {
      socketFactory: this.socketFactory,
      msgRetryCounterCache: this.retryCountersOf(accountId),
      drops: this.drops,
      logger: this.options.logger.child({ accountId }),
      waWebSocketUrl: this.options.waWebSocketUrl,
      waWebVersion: this.options.waWebVersion,
      previousClosed: previous?.close(),
    });
    this.latest.set(accountId, connection);
    return connection;
  }

  /** Closes every account's latest connection (a safety net at shutdown; the accounts module closes its own first). */
  async closeAll(): Promise<void> {
    const connections = [...this.latest.values()];
    this.latest.clear();
    await Promise.all(connections.map((connection) => connection.close()));
  }

  /** Nest calls this at shutdown for the provider instance the module made. */
  onApplicationShutdown(): Promise<void> {
    return this.closeAll();
  }

  newMessageId(): string {
    // Without a user id: the id is made before we know which linked number sends it, and the id's
    // shape (3EB0 + 18 hex) is what matters to WhatsApp.
    return generateMessageIDV2();
  }

  private retryCountersOf(accountId: string): ExpiringCache {
    let counters = this.retryCounters.get(accountId);
    if (!counters) {
      counters = new ExpiringCache(MSG_RETRY_TTL_MS);
      this.retryCounters.set(accountId, counters);
    }
    return counters;
  }
}
