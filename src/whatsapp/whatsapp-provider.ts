import type { Readable } from 'node:stream';
import type { MediaType, MessageContent, MessageMedia, MessageType } from '../media/media';

/**
 * The provider port: the one interface through which the rest of the app opens a WhatsApp connection for
 * an account, sends, and hears what happens. Only `src/whatsapp/` imports Baileys; the events below are
 * Baileys' own events (`connection.update`, `messages.upsert`, `messages.update`, `message-receipt.update`,
 * `lid-mapping.update`) translated in one place into plain domain shapes.
 */

/** Baileys' `DisconnectReason` names, plus `unknown` for a code Baileys does not name. */
export type DisconnectKind =
  | 'connectionClosed'
  | 'connectionLost'
  | 'connectionReplaced'
  | 'timedOut'
  | 'loggedOut'
  | 'badSession'
  | 'restartRequired'
  | 'multideviceMismatch'
  | 'forbidden'
  | 'unavailableService'
  | 'unknown';

export type ConnectionEvent =
  | { type: 'connecting' }
  | { type: 'qr'; qr: string }
  | { type: 'open'; phone: string | null; name: string | null }
  | { type: 'close'; reason: DisconnectKind; statusCode: number | null; message: string };

/**
 * Where an inbound file is at WhatsApp and how to open it: the media proto's fields (bytes as base64), kept
 * with the download work so a download after a restart needs nothing else. Only `src/whatsapp/` reads them.
 */
export interface MediaFileRef {
  /** The proto field the file came in (`imageMessage`, `audioMessage`, …): it names the file's keys. */
  contentType: string;
  url: string | null;
  directPath: string | null;
  mediaKey: string;
  fileEncSha256: string | null;
  fileSha256: string;
  fileLength: number;
  mimetype: string;
}

/** An inbound file and the message key WhatsApp knows it by (a re-upload request names the message). */
export interface MediaSource {
  key: { remoteJid: string; fromMe: boolean; id: string; participant: string | null };
  file: MediaFileRef;
}

/** What a message is and carries, as the translation reads it from the content. */
export interface ProviderMessageContent {
  type: MessageType;
  /** The text, or a file's caption; null for every other kind. */
  text: string | null;
  media: MessageMedia | null;
  file: MediaFileRef | null;
  content: MessageContent | null;
}

/** A message WhatsApp delivered to or echoed for the account (`messages.upsert`, notify or append). */
export interface ProviderMessage {
  /** The chat as WhatsApp addressed it, already normalised (no device suffix). */
  chatJid: string;
  /** The other form of the same contact when the event carried it (phone-number JID for an `@lid`, or the reverse). */
  chatAltJid: string | null;
  fromMe: boolean;
  waMessageId: string;
  /** Epoch ms from the provider's `messageTimestamp`. */
  timestamp: number;
  type: MessageType;
  text: string | null;
  /** Media messages: the file as announced (not stored yet), and where to download it from. */
  media: MessageMedia | null;
  mediaSource: MediaSource | null;
  /** Location, contact and reaction messages. */
  content: MessageContent | null;
  /** Groups: the participant who wrote it, normalised. */
  participant: string | null;
  /** `append` is a replay of what WhatsApp queued while we were away; it is stored like `notify`. */
  upsertType: 'notify' | 'append';
}

/** A status report for one of the account's messages (`messages.update` or `message-receipt.update`). */
export interface ProviderReceipt {
  chatJid: string;
  fromMe: boolean;
  waMessageId: string;
  /** `proto.WebMessageInfo.Status` number: ERROR=0, PENDING=1, SERVER_ACK=2, DELIVERY_ACK=3, READ=4, PLAYED=5. */
  providerStatus: number;
  /** The server's error code for ERROR (from `messageStubParameters`), e.g. '463'. */
  errorCode: string | null;
  /**
   * For ERROR: whether no retry of the same message can pass (e.g. 463). Baileys reports every bad ack as
   * an ERROR update, transient ones too; those the outbox retries, so they must not mark the message failed.
   */
  permanentError?: boolean;
  /** Epoch ms when known (receipt timestamps), else null. */
  at: number | null;
}

export interface LidMapping {
  lid: string;
  pn: string;
}

export interface ProviderEvents {
  connection: (event: ConnectionEvent) => void;
  message: (message: ProviderMessage) => void;
  receipt: (receipt: ProviderReceipt) => void;
  lidMapping: (mapping: LidMapping) => void;
}

/** The same events as argument lists, the shape an `EventBus` carries. */
export type ProviderEventArgs = { [E in keyof ProviderEvents]: Parameters<ProviderEvents[E]> };

/** WhatsApp's limits on an account as a whole, in the contract's words (`pauseReason`). */
export type PauseReason = 'rate_overlimit' | 'reach_out_locked';

/**
 * WhatsApp refused the send for the account, not for this message: rate-overlimit (429) or the reach-out
 * lock (463). `until` (epoch ms) when WhatsApp said how long (the lock's `timeEnforcementEnds`), else null.
 */
export interface AccountLimit {
  reason: PauseReason;
  until: number | null;
}

/** Why a send did not reach WhatsApp's server. `permanent` failures are not retried; a `limit` pauses the account. */
export class SendFailure extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
    readonly code: string | null = null,
    readonly limit: AccountLimit | null = null,
  ) {
    super(message);
  }
}

/** Where an account's Baileys session (creds and signal keys) is kept; writes are fenced by owner epoch. */
export interface SessionStore {
  /** Values are JSON strings written with Baileys' BufferJSON; null when absent. */
  read(keys: string[]): Promise<Map<string, string>>;
  /** Sets (string) or deletes (null) each key, atomically, only if the writer still holds the account. */
  write(changes: Map<string, string | null>): Promise<void>;
  clear(): Promise<void>;
}

export interface OpenOptions {
  accountId: string;
  session: SessionStore;
  /** Text of one of our own sent messages, for a recipient's retry request; looked up by account, chat and id. */
  getMessageText(chatJid: string, waMessageId: string): Promise<string | undefined>;
}

/** A stored file to send: what the message says of it, and a way to read its bytes from the blob store. */
export interface OutgoingMedia {
  type: MediaType;
  mimetype: string;
  fileName: string | null;
  caption: string | null;
  /** Hex SHA-256 and length of the bytes `open` reads: the blob's address. */
  sha256: string;
  size: number;
  /**
   * The bytes from their start, opened afresh by each attempt (a stream is read once), so a large file is
   * streamed to WhatsApp rather than held. Rejects with a permanent `SendFailure` when they are gone.
   */
  open(): Promise<Readable>;
}

/** What one send carries: text, or one file. */
export type OutgoingContent = { text: string } | { media: OutgoingMedia };

export interface ProviderConnection {
  on<E extends keyof ProviderEvents>(event: E, listener: ProviderEvents[E]): void;
  /** Resolves when WhatsApp's server acknowledges `waMessageId`; rejects with `SendFailure`. */
  send(toJid: string, content: OutgoingContent, waMessageId: string, timeoutMs: number): Promise<void>;
  /**
   * An inbound file's plain bytes, from WhatsApp's media servers through this account's socket (a re-upload
   * by the phone asked on the way when they no longer have it). Rejects when the socket is not open.
   */
  downloadMedia(source: MediaSource): Promise<Readable>;
  requestPairingCode(phoneNumber: string): Promise<string>;
  /** Logs the linked device out at WhatsApp, then closes. */
  logout(): Promise<void>;
  /** Closes the socket and removes every listener and timer it had; after this it emits nothing. */
  close(): Promise<void>;
}

export abstract class WhatsAppProvider {
  abstract open(options: OpenOptions): ProviderConnection;
  /** A WhatsApp message id in the format Baileys generates, made before the first attempt. */
  abstract newMessageId(): string;
}
