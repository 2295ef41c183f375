import type { Readable } from 'node:stream';
import { proto, type CacheStore, type GroupMetadata, type WAMessageKey, type WAVersion } from '@whiskeysockets/baileys';
import { isClientJid } from '../../common/jid';
import type { ProviderEventDrops } from '../provider-event-drops';
import { SendFailure, type MediaSource, type OpenOptions, type OutgoingContent, type ProviderConnection, type ProviderEventArgs, type ProviderEvents } from '../whatsapp-provider';
import { ExpiringCache } from './expiring-cache';
import { downloadWithReupload } from './media-download';
import { PendingAcks, type AckWait } from './pending-acks';
import { rateLimitFailureOf } from './ack-errors';
import { askLockEnd } from './reach-out-lock';
import { statusCodeOf } from './provider-events/connection-update';
import { isWaMessageId, normalizeProviderJid } from './provider-events/provider-fields';
import { socketContentOf, uploadStreamOf } from './outgoing-content';
import { EventBus } from '../event-bus';
import { loadSessionAuthState } from './session-auth-state';
import { socketConfigFor } from './socket-config';
import { endSocketWithin } from './socket-ending';
import type { ProviderSocket, SocketFactory, SocketLogger } from './socket-factory';
import { SocketSubscriptions } from './socket-subscriptions';

export interface AccountConnectionDeps {
  socketFactory: SocketFactory;
  /** The account's retry counters, owned by the provider so they outlive this socket. */
  msgRetryCounterCache: CacheStore;
  drops: ProviderEventDrops;
  logger: SocketLogger;
  waWebSocketUrl?: string;
  waWebVersion?: WAVersion;
  /** Settles once this account's previous connection in this process is closed: never two sockets at once. */
  previousClosed?: Promise<void>;
}

/** How long `close()` waits for the socket to end (Baileys awaits the WebSocket close handshake). */
const END_WAIT_MS = 5_000;
const GROUP_METADATA_TTL_MS = 5 * 60_000;

/**
 * One account's socket as the port's `ProviderConnection`. It lives from `open()` until the socket closes,
 * by WhatsApp (a `close` event, then nothing) or by the app (`close()`/`logout()`, no event); reconnecting
 * is opening a new one. On finishing it removes every listener it added on `ev` and `ws`, fails the sends
 * still waiting for an ack, and ignores whatever the old socket still emits.
 */
export class AccountConnection implements ProviderConnection {
  /** The app's listeners on this connection. */
  private readonly listeners: EventBus<ProviderEventArgs>;
  private readonly acks = new PendingAcks();
  /** Ids whose frame is being handed to Baileys, each with the write under way (it never rejects). */
  private readonly writing = new Map<string, Promise<void>>();
  private readonly groups = new ExpiringCache(GROUP_METADATA_TTL_MS, 1_000);
  private readonly started: Promise<ProviderSocket | undefined>;
  private subscriptions: SocketSubscriptions | undefined;
  private socket: ProviderSocket | undefined;
  private isOpen = false;
  private finished = false;
  private closing: Promise<void> | undefined;
  private readonly loginOffered = signal();

  constructor(
    private readonly options: OpenOptions,
    private readonly deps: AccountConnectionDeps,
  ) {
    this.listeners = new EventBus((event, _args, error) => deps.logger.error({ err: error, event }, 'provider event listener failed'));
    this.started = this.start().catch((error: unknown) => {
      this.onConnectionEvent({ type: 'close', reason: 'unknown', statusCode: null, message: `could not start: ${messageOf(error)}` });
      return undefined;
    });
  }

  on<E extends keyof ProviderEvents>(event: E, listener: ProviderEvents[E]): void {
    if (!this.finished) this.listeners.on(event, listener as (...args: ProviderEventArgs[E]) => unknown);
  }

  async send(toJid: string, content: OutgoingContent, waMessageId: string, timeoutMs: number): Promise<void> {
    if (!isWaMessageId(waMessageId)) throw new SendFailure(`"${waMessageId}" is not a WhatsApp message id`, true, 'invalid_message_id');
    if (!isClientJid(toJid)) throw new SendFailure(`"${toJid}" is not a user, LID or group JID`, true, 'invalid_recipient');
    // A second send of an id still in flight joins the first: one WhatsApp message per id.
    const inFlight = this.acks.waiting(waMessageId);
    if (inFlight) return inFlight.promise;
    const socket = this.socket;
    if (this.finished || !socket || !this.isOpen) throw new SendFailure('the account is not connected', false, 'not_connected');
    // Waiting starts before the frame is written: the ack can arrive before `sendMessage` resolves.
    const attempt = this.acks.expect(waMessageId, timeoutMs);
    this.write(attempt, async () => {
      // A file's bytes are opened only once the attempt's turn comes, and closed whatever Baileys did with them.
      const prepared = await socketContentOf(content);
      try {
        await socket.sendMessage(toJid, prepared, { messageId: waMessageId });
      } finally {
        uploadStreamOf(prepared)?.destroy();
      }
    });
    return this.withLockEnd(attempt.promise);
  }

  /** A reach-out lock's failure with the lock's end, when WhatsApp tells it. */
  private async withLockEnd(acked: Promise<void>): Promise<void> {
    try {
      await acked;
    } catch (error) {
      const socket = this.socket;
      if (!(error instanceof SendFailure) || error.limit?.reason !== 'reach_out_locked' || error.limit.until !== null || !socket) throw error;
      throw new SendFailure(error.message, false, error.code, { reason: 'reach_out_locked', until: await askLockEnd(socket) });
    }
  }

  /**
   * Hands the attempt's frame to Baileys once no earlier attempt of its id is still inside `sendMessage`
   * (one that timed out waiting for its ack may be, fetching devices or keys): never two provider sends
   * of one id at once. An attempt that ended while it waited (acked, closed) writes nothing; a write that
   * fails fails only its own attempt.
   */
  private write(attempt: AckWait, sendMessage: () => Promise<unknown>): void {
    const id = attempt.waMessageId;
    const written: Promise<void> = (this.writing.get(id) ?? Promise.resolve())
      .then(() => (this.acks.isWaiting(attempt) ? sendMessage() : undefined))
      .then(
        () => undefined,
        (error: unknown) => {
          const code = statusCodeOf(error);
          // A SendFailure is ours (the file is gone): it says itself whether a retry can help.
          const failure = error instanceof SendFailure ? error : rateLimitFailureOf(id, error) ?? new SendFailure(`sending ${id} failed: ${messageOf(error)}`, false, code === null ? null : String(code));
          this.acks.fail(attempt, failure);
        },
      )
      .finally(() => {
        if (this.writing.get(id) === written) this.writing.delete(id);
      });
    this.writing.set(id, written);
  }

  /** Only while open: a re-upload request is a message to the phone, and the download the socket's own. */
  async downloadMedia(source: MediaSource): Promise<Readable> {
    const socket = this.socket;
    if (this.finished || !socket || !this.isOpen) throw new Error('the account is not connected');
    return downloadWithReupload(socket, source);
  }

  /**
   * Baileys can only ask for a pairing code once WhatsApp has offered a login (its README waits for the QR):
   * before that the frame cannot be written. So this waits for the first `qr` of this connection.
   */
  async requestPairingCode(phoneNumber: string): Promise<string> {
    const digits = phoneNumber.replace(/[\s()+.-]/g, '');
    if (!/^[1-9]\d{7,14}$/.test(digits)) throw new Error('phoneNumber must be 8 to 15 digits with the country code');
    await this.loginOffered.promise;
    const socket = this.socket;
    if (!socket || this.finished) throw new Error('the connection is closed');
    return socket.requestPairingCode(digits);
  }

  /** Tells WhatsApp to unlink this device, then ends the socket; the app asked, so no `close` event follows. */
  async logout(): Promise<void> {
    const socket = await this.started;
    if (!socket || this.finished) return this.close();
    this.finish('logged out');
    const loggedOut = socket.logout().finally(() => endSocketWithin(socket, END_WAIT_MS));
    this.closing = loggedOut.catch(() => undefined);
    return loggedOut;
  }

  close(): Promise<void> {
    if (!this.closing) {
      const socket = this.finish('connection closed by the app');
      this.closing = socket ? endSocketWithin(socket, END_WAIT_MS) : Promise.resolve();
    }
    return this.closing;
  }

  private async start(): Promise<ProviderSocket | undefined> {
    await this.deps.previousClosed?.catch(() => undefined);
    if (this.finished) return undefined;
    const auth = await loadSessionAuthState(this.options.session, this.deps.logger);
    if (this.finished) return undefined;
    const config = socketConfigFor({
      auth: auth.state,
      logger: this.deps.logger,
      waWebSocketUrl: this.deps.waWebSocketUrl,
      waWebVersion: this.deps.waWebVersion,
      msgRetryCounterCache: this.deps.msgRetryCounterCache,
      getMessage: (key) => this.messageForRetry(key),
      cachedGroupMetadata: (jid) => this.groupMetadata(jid),
    });
    const socket = this.deps.socketFactory.create(this.options.accountId, config);
    this.socket = socket;
    this.subscriptions = new SocketSubscriptions(socket, auth, {
      listeners: this.listeners,
      acks: this.acks,
      groups: this.groups,
      drops: this.deps.drops,
      logger: this.deps.logger,
      onConnection: (event) => this.onConnectionEvent(event),
    });
    return socket;
  }

  /** Every connection event goes through here: `open` enables sends, `close` finishes the connection after telling the app. */
  private onConnectionEvent(event: Parameters<ProviderEvents['connection']>[0]): void {
    if (this.finished) return;
    if (event.type === 'open') {
      this.isOpen = true;
      this.loginOffered.reject(new Error('the account is already linked'));
    }
    if (event.type === 'qr') this.loginOffered.resolve();
    this.listeners.emit('connection', event);
    if (event.type === 'close') this.finish(`connection closed (${event.reason})`);
  }

  private finish(reason: string): ProviderSocket | undefined {
    if (this.finished) return undefined;
    this.finished = true;
    this.isOpen = false;
    this.subscriptions?.detach();
    this.listeners.clear();
    this.groups.flushAll();
    this.acks.failAll((id) => new SendFailure(`${reason} before WhatsApp acknowledged ${id}`, false, 'connection_closed'));
    this.loginOffered.reject(new Error(`${reason} before WhatsApp offered a login`));
    this.subscriptions = undefined;
    const socket = this.socket;
    this.socket = undefined;
    return socket;
  }

  /**
   * Baileys' `getMessage`, for a recipient's retry request: Baileys encrypts whatever this returns to the
   * requester, so only our own messages (`fromMe`) are answered, looked up by account, chat and id.
   * The content matches what `send` wrote (`extendedTextMessage`, no link preview). A media message has no
   * text, so it is not answered: its upload's keys are not kept to build the same message again.
   */
  private async messageForRetry(key: WAMessageKey): Promise<proto.IMessage | undefined> {
    if (this.finished || key.fromMe !== true || !isWaMessageId(key.id)) return undefined;
    const chatJid = normalizeProviderJid(key.remoteJid);
    if (!chatJid) return undefined;
    const text = await this.options.getMessageText(chatJid, key.id);
    return text === undefined ? undefined : proto.Message.fromObject({ extendedTextMessage: { text } });
  }

  /** Baileys' `cachedGroupMetadata`: fetched once per group and socket, dropped on group changes (see subscriptions). */
  private async groupMetadata(jid: string): Promise<GroupMetadata | undefined> {
    const cached = this.groups.get<GroupMetadata>(jid);
    if (cached || this.finished || !this.socket) return cached;
    // On failure Baileys fetches it itself, and its error then fails the send.
    const metadata = await this.socket.groupMetadata(jid).catch(() => undefined);
    if (metadata && !this.finished) this.groups.set(jid, metadata);
    return metadata;
  }
}

/** A one-shot promise settled from outside; unobserved rejections are not reported as unhandled. */
function signal(): { promise: Promise<void>; resolve(): void; reject(error: Error): void } {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
