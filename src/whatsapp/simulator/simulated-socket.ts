import { EventEmitter } from 'node:events';
import type { Readable } from 'node:stream';
import { DisconnectReason, type BaileysEventMap, type Contact, type GroupMetadata, type ReachoutTimelockState, type UserFacingSocketConfig, type WAMessage } from '@whiskeysockets/baileys';
import { MESSAGE_ACK_FRAME } from '../baileys/socket-subscriptions';
import type { ProviderSocket, SocketContent } from '../baileys/socket-factory';
import { readSentMedia, type SentMediaLine } from './sent-media';
import { boomError, linkedCreds, messageAckFrame, nowSeconds, pairingCode, queryError, rejectedUpdate, sentMessage } from './simulated-events';
import type { SimulatedLimits } from './simulated-limits';
import type { SimulatedMediaServer } from './simulated-media';

/** Login refs WhatsApp offers a device that is not linked yet (one QR each), and Baileys' default QR lifetimes. */
const LOGIN_REFS = 6;
const FIRST_QR_MS = 60_000;
const NEXT_QR_MS = 20_000;

/** The ack error the simulator's transient failures carry: 503 is transient in `ack-errors.ts`. */
export const SIMULATED_FAILURE_CODE = '503';

/** The simulated WhatsApp as one socket sees it (implemented by `WhatsAppSimulator`). */
export interface SimulatedNetwork {
  readonly settings: { sendMs: number; failureRate: number; requireScan: boolean; random(): number };
  readonly limits: SimulatedLimits;
  readonly media: SimulatedMediaServer;
  phoneOf(accountId: string): string;
  isUnlinked(accountId: string): boolean;
  setUnlinked(accountId: string, unlinked: boolean): void;
  socketCreated(socket: SimulatedSocket): void;
  socketLoggedIn(socket: SimulatedSocket): void;
  socketEnded(socket: SimulatedSocket): void;
  sendRecorded(accountId: string, to: string, waMessageId: string, text: string, rejected: boolean, media?: SentMediaLine): void;
}

type SocketState = 'connecting' | 'qr' | 'open' | 'closed';

/**
 * A Baileys socket stand-in for one account. It walks Baileys' lifecycle (connecting, then QR or login,
 * then open; a first link ends in `restartRequired` as a real pairing does) and answers sends the way
 * WhatsApp does: Baileys' echo of the message, then the server ack frame on `ws`.
 */
export class SimulatedSocket implements ProviderSocket {
  readonly ev = new EventEmitter();
  readonly ws = new EventEmitter();
  private state: SocketState = 'connecting';
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    readonly accountId: string,
    private readonly config: UserFacingSocketConfig,
    private readonly network: SimulatedNetwork,
  ) {
    network.socketCreated(this);
    // Baileys also emits its first event on the next tick, after the caller has subscribed.
    process.nextTick(() => this.connect());
  }

  get user(): Contact | undefined {
    return this.config.auth.creds.me;
  }

  get isOpen(): boolean {
    return this.state === 'open';
  }

  get isWaitingForScan(): boolean {
    return this.state === 'qr';
  }

  emit<T extends keyof BaileysEventMap>(event: T, payload: BaileysEventMap[T]): void {
    if (this.state !== 'closed') this.ev.emit(event, payload);
  }

  async sendMessage(jid: string, content: SocketContent, options: { messageId: string }): Promise<WAMessage> {
    if (this.state !== 'open') throw boomError(DisconnectReason.connectionClosed, 'Connection Closed');
    const waMessageId = options.messageId;
    // A file is read to its end first, as Baileys encrypts and uploads it before the message frame goes.
    const media = 'text' in content ? undefined : await readSentMedia(content);
    if (this.state !== 'open') throw boomError(DisconnectReason.connectionClosed, 'Connection Closed');
    const text = 'text' in content ? content.text : (content as { caption?: string }).caption ?? '';
    const { sendMs, failureRate, random } = this.network.settings;
    const limit = this.network.limits.take(this.accountId, Date.now());
    const fails = limit !== undefined || random() < failureRate;
    // The audit log says whether WhatsApp took it: a rejected send is no delivery, its retry no duplicate.
    this.network.sendRecorded(this.accountId, jid, waMessageId, text, fails, media?.line);
    // Rate-overlimit answers a query the send makes before its frame (the recipient's devices), so
    // `sendMessage` throws and no ack follows; the reach-out lock is the ack's error, as any rejection.
    if (limit === '429') throw queryError(429, 'rate-overlimit');
    const message = media ? media.message : { extendedTextMessage: { text } };
    const echo = sentMessage({ chatJid: jid, waMessageId, message, seconds: nowSeconds() });
    process.nextTick(() => this.emit('messages.upsert', { messages: [echo], type: 'append' }));
    this.later(sendMs, () => {
      const error = limit ?? (fails ? SIMULATED_FAILURE_CODE : undefined);
      this.ws.emit(MESSAGE_ACK_FRAME, messageAckFrame({ waMessageId, chatJid: jid, seconds: nowSeconds(), error }));
      if (error) this.emit('messages.update', rejectedUpdate({ chatJid: jid, waMessageId, code: error }));
    });
    return echo;
  }

  /** The simulator's own download path: the bytes the inbound route was given, or the fault it was told to answer. */
  async downloadMedia(message: WAMessage): Promise<Readable> {
    if (this.state !== 'open') throw boomError(DisconnectReason.connectionClosed, 'Connection Closed');
    return this.network.media.download(this.accountId, message);
  }

  async updateMediaMessage(message: WAMessage): Promise<WAMessage> {
    if (this.state !== 'open') throw boomError(DisconnectReason.connectionClosed, 'Connection Closed');
    return this.network.media.reupload(message);
  }

  async requestPairingCode(phoneNumber: string): Promise<string> {
    if (this.state === 'open' || this.state === 'closed') throw boomError(DisconnectReason.connectionClosed, 'Connection Closed');
    // As Baileys does: the number becomes `creds.me` (not yet linked) until the code is entered on the phone.
    Object.assign(this.config.auth.creds, { me: { id: `${phoneNumber}@s.whatsapp.net`, name: '~' }, pairingCode: pairingCode() });
    this.emit('creds.update', this.config.auth.creds);
    this.state = 'qr';
    return this.config.auth.creds.pairingCode as string;
  }

  /** The phone scanned the QR or entered the pairing code: link, then restart as WhatsApp asks after pairing. */
  completeScan(): void {
    if (this.state !== 'qr') return;
    const requested = this.config.auth.creds.me?.id.split('@')[0];
    this.network.setUnlinked(this.accountId, false);
    this.emit('creds.update', linkedCreds(requested ?? this.network.phoneOf(this.accountId), this.accountId));
    this.emit('connection.update', { isNewLogin: true, qr: undefined });
    this.end(boomError(DisconnectReason.restartRequired, 'Stream Errored (restart required)'));
  }

  async logout(): Promise<void> {
    if (this.config.auth.creds.me) this.network.setUnlinked(this.accountId, true);
    this.end(boomError(DisconnectReason.loggedOut, 'Intentional Logout'));
  }

  async fetchAccountReachoutTimelock(): Promise<ReachoutTimelockState> {
    if (this.state !== 'open') throw boomError(DisconnectReason.connectionClosed, 'Connection Closed');
    return this.network.limits.lockOf(this.accountId, Date.now());
  }

  async groupMetadata(jid: string): Promise<GroupMetadata> {
    throw boomError(404, `the simulator has no groups (${jid})`);
  }

  /** Like Baileys' `end`: once only, timers cleared, `close` emitted, then every `ev` listener removed. */
  end(error: Error | undefined): void {
    if (this.state === 'closed') return;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.emit('connection.update', { connection: 'close', lastDisconnect: { error, date: new Date() } });
    this.state = 'closed';
    this.network.socketEnded(this);
    this.ev.removeAllListeners();
  }

  private connect(): void {
    if (this.state === 'closed') return;
    this.emit('connection.update', { connection: 'connecting', receivedPendingNotifications: false, qr: undefined });
    const creds = this.config.auth.creds;
    const linked = Boolean(creds.me?.id && creds.account);
    if (linked && this.network.isUnlinked(this.accountId)) {
      // WhatsApp refuses a device the phone removed: Baileys' `CB:failure` with reason 401.
      return this.end(boomError(DisconnectReason.loggedOut, 'Connection Failure'));
    }
    if (linked) return this.logIn();
    if (!this.network.settings.requireScan) {
      this.state = 'qr';
      return this.completeScan();
    }
    this.state = 'qr';
    this.offerQr(LOGIN_REFS, this.config.qrTimeout ?? FIRST_QR_MS);
  }

  /**
   * As Baileys' `genPairQR`: each login ref WhatsApp offered becomes a new QR, the first kept 60 s and the
   * next 20 s (or `qrTimeout`); when none is left the socket ends with `timedOut` (408).
   */
  private offerQr(refsLeft: number, ms: number): void {
    if (this.state !== 'qr') return; // scanned or paired meanwhile
    if (refsLeft === 0) return this.end(boomError(DisconnectReason.timedOut, 'QR refs attempts ended'));
    this.emit('connection.update', { qr: `SIMULATED-QR,${this.accountId},${pairingCode()}` });
    this.later(ms, () => this.offerQr(refsLeft - 1, this.config.qrTimeout ?? NEXT_QR_MS));
  }

  private logIn(): void {
    this.state = 'open';
    this.emit('connection.update', { connection: 'open' });
    this.network.socketLoggedIn(this);
    this.emit('connection.update', { receivedPendingNotifications: true });
  }

  private later(ms: number, run: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (this.state !== 'closed') run();
    }, ms);
    this.timers.add(timer);
  }
}
