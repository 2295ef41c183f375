import { proto, type CacheStore, type GroupMetadata, type UserFacingSocketConfig, type WAMessageKey, type WAVersion } from '@whiskeysockets/baileys';
import type { SessionAuthState } from './session-auth-state';
import type { SocketLogger } from './socket-factory';

// The type of `IHistorySyncNotification.syncType`; same numbers as `proto.HistorySync.HistorySyncType`.
const HistorySyncType = proto.Message.HistorySyncType;

/**
 * History syncs small enough to take on every link. Baileys reads LID <-> phone mappings from every sync
 * it processes (`phoneNumberToLidMappings`, and the chat list's `pnJid`/`lidJid` in the bootstrap) and
 * warns of "session errors" when every sync is refused; the initial bootstrap, the non-blocking data
 * and push names are the small ones. RECENT, FULL, ON_DEMAND and status history are the bulk, and this
 * server keeps no history.
 */
const SMALL_HISTORY_SYNCS = new Set<number>([
  HistorySyncType.INITIAL_BOOTSTRAP,
  HistorySyncType.NON_BLOCKING_DATA,
  HistorySyncType.PUSH_NAME,
]);

export function shouldSyncHistoryMessage(notification: proto.Message.IHistorySyncNotification): boolean {
  return notification.syncType !== null && notification.syncType !== undefined && SMALL_HISTORY_SYNCS.has(notification.syncType);
}

export interface SocketSettings {
  auth: SessionAuthState['state'];
  logger: SocketLogger;
  /** Where the socket connects; unset means Baileys' default (WhatsApp). Tests use a local server. */
  waWebSocketUrl?: string;
  /** The WhatsApp Web version to announce (`WA_WEB_VERSION`); unset: the one this Baileys release ships with. */
  waWebVersion?: WAVersion;
  /** One per account, kept across sockets, so a recipient's retry requests are counted across reconnects. */
  msgRetryCounterCache: CacheStore;
  getMessage(key: WAMessageKey): Promise<proto.IMessage | undefined>;
  cachedGroupMetadata(jid: string): Promise<GroupMetadata | undefined>;
}

/** The socket settings for a server holding many accounts; docs/baileys-socket.md gives the why of each. */
export function socketConfigFor(settings: SocketSettings): UserFacingSocketConfig {
  return {
    ...(settings.waWebSocketUrl ? { waWebSocketUrl: settings.waWebSocketUrl } : {}),
    // No `fetchLatestBaileysVersion` at start: a network call per start, and a version nobody tested here.
    ...(settings.waWebVersion ? { version: settings.waWebVersion } : {}),
    auth: settings.auth,
    logger: settings.logger,
    syncFullHistory: false,
    shouldSyncHistoryMessage,
    markOnlineOnConnect: false,
    emitOwnEvents: true,
    generateHighQualityLinkPreview: false,
    getMessage: settings.getMessage,
    msgRetryCounterCache: settings.msgRetryCounterCache,
    cachedGroupMetadata: settings.cachedGroupMetadata,
  };
}
