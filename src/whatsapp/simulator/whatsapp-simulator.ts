import { createHash } from 'node:crypto';
import { DisconnectReason, isJidGroup, proto, type BaileysEventMap, type UserFacingSocketConfig, type WAMessage } from '@whiskeysockets/baileys';
import { InvalidInput } from '../../common/errors';
import { WA_MESSAGE_ID_PATTERN } from '../../common/ids';
import { recipientToJid } from '../../common/jid';
import { ExpiringCache } from '../baileys/expiring-cache';
import { SocketFactory } from '../baileys/socket-factory';
import { disconnectReasonOf } from './disconnect-reasons';
import { boomError, groupReceipt, nowSeconds, phoneMessageId, receivedMessage, rejectedUpdate, statusUpdate } from './simulated-events';
import { SimulatedSocket, type SimulatedNetwork } from './simulated-socket';
import { receiptStatusOf, type InjectedStatus } from './injected-status';
import { SimulatorLog } from './simulator-log';

export interface SimulatorOptions {
  /** Milliseconds from a send to its server ack. */
  sendMs: number;
  /** Share of sends WhatsApp rejects with a transient error (0..1). */
  failureRate: number;
  /** Accounts without a linked session wait in `qr` until `scan`. */
  requireScan: boolean;
  /** File for one JSON line per send, connect and disconnect; none when unset. */
  logPath?: string;
  workerId: string;
  random?: () => number;
}

export interface InjectedInbound {
  /** Digits with country code or a JID: the client who writes (or, with `fromMe`, the chat the phone wrote to). */
  from: string;
  text: string;
  waMessageId?: string;
  fromMe?: boolean;
}

export interface InjectedReceipt {
  waMessageId: string;
  status: InjectedStatus;
  /** The chat the message went to; needed only when this process did not send it. */
  chatJid?: string;
  /** The server's code for an `error` status; default 463 (a permanent rejection). */
  errorCode?: string;
}

/** `delivered`: the account's socket in this process got it now; otherwise it waits for the account's next login here. */
export interface InjectionResult {
  waMessageId: string;
  delivered: boolean;
}

/** What the simulated server keeps per offline account, oldest dropped beyond this. */
const MAX_OFFLINE_EVENTS = 10_000;

type OfflineEvent = { event: 'messages.upsert'; message: WAMessage } | { event: 'messages.update'; update: BaileysEventMap['messages.update'] };

/**
 * An in-process WhatsApp for development, tests and benchmarks: the `SocketFactory` of the simulator
 * provider, and the hooks behind the simulator routes. It knows only this process's sockets; like
 * WhatsApp, it keeps what arrives for an account that is offline and delivers it at the next login.
 */
export class WhatsAppSimulator extends SocketFactory implements SimulatedNetwork {
  readonly settings: SimulatedNetwork['settings'];
  private readonly sockets = new Map<string, SimulatedSocket>();
  private readonly unlinked = new Set<string>();
  private readonly offline = new Map<string, OfflineEvent[]>();
  /** Which chat each sent id went to, so a receipt injected by id alone can be addressed as WhatsApp would. */
  private readonly sentTo = new ExpiringCache(24 * 60 * 60_000, 100_000);
  private readonly log: SimulatorLog;

  constructor(options: SimulatorOptions) {
    super();
    if (!(options.failureRate >= 0 && options.failureRate <= 1)) throw new RangeError('failureRate must be within 0..1');
    this.settings = { sendMs: options.sendMs, failureRate: options.failureRate, requireScan: options.requireScan, random: options.random ?? Math.random };
    this.log = new SimulatorLog(options.logPath, options.workerId);
  }

  create(accountId: string, config: UserFacingSocketConfig): SimulatedSocket {
    return new SimulatedSocket(accountId, config, this);
  }

  injectInbound(accountId: string, input: InjectedInbound): InjectionResult {
    const chatJid = recipientToJid(input.from, 'from');
    const waMessageId = input.waMessageId ?? phoneMessageId();
    if (!WA_MESSAGE_ID_PATTERN.test(waMessageId)) throw new InvalidInput('waMessageId', 'must be 1-128 letters, digits, "_" or "-"');
    const message = receivedMessage({ chatJid, waMessageId, text: input.text, fromMe: input.fromMe === true, seconds: nowSeconds() });
    const socket = this.openSocketOf(accountId);
    if (socket) socket.emit('messages.upsert', { messages: [message], type: 'notify' });
    else this.queue(accountId, { event: 'messages.upsert', message });
    return { waMessageId, delivered: Boolean(socket) };
  }

  injectReceipt(accountId: string, input: InjectedReceipt): InjectionResult {
    const status = receiptStatusOf(input.status);
    const chatJid = input.chatJid ? recipientToJid(input.chatJid, 'chatJid') : this.sentTo.get<string>(`${accountId}/${input.waMessageId}`);
    if (!chatJid) throw new InvalidInput('waMessageId', 'was not sent through this simulator process; give chatJid too');
    const seconds = nowSeconds();
    const update =
      status === proto.WebMessageInfo.Status.ERROR
        ? rejectedUpdate({ chatJid, waMessageId: input.waMessageId, code: input.errorCode ?? '463' })
        : statusUpdate({ chatJid, waMessageId: input.waMessageId, status, seconds });
    const socket = this.openSocketOf(accountId);
    if (socket && isJidGroup(chatJid) && status !== proto.WebMessageInfo.Status.ERROR) {
      const participant = `${this.phoneOf(`${accountId}-member`)}@s.whatsapp.net`;
      socket.emit('message-receipt.update', groupReceipt({ groupJid: chatJid, participant, waMessageId: input.waMessageId, status, seconds }));
    } else if (socket) socket.emit('messages.update', update);
    else this.queue(accountId, { event: 'messages.update', update });
    return { waMessageId: input.waMessageId, delivered: Boolean(socket) };
  }

  /** Completes a pending QR (or pairing-code) login; false when the account has none waiting in this process. */
  scan(accountId: string): boolean {
    const socket = this.sockets.get(accountId);
    if (!socket?.isWaitingForScan) return false;
    socket.completeScan();
    return true;
  }

  /** Closes the account's socket as WhatsApp would for `reason`; false when it has none in this process. */
  disconnect(accountId: string, reason: string): boolean {
    const { name, statusCode, message } = disconnectReasonOf(reason);
    const socket = this.sockets.get(accountId);
    if (!socket) return false;
    // The phone removed the device: WhatsApp refuses this session from now on.
    if (name === 'loggedOut') this.unlinked.add(accountId);
    socket.end(boomError(statusCode, message));
    return true;
  }

  phoneOf(accountId: string): string {
    const digits = BigInt(`0x${createHash('sha256').update(accountId).digest('hex').slice(0, 12)}`).toString().padStart(9, '0');
    return `4079${digits.slice(-9)}`;
  }

  isUnlinked(accountId: string): boolean {
    return this.unlinked.has(accountId);
  }

  setUnlinked(accountId: string, unlinked: boolean): void {
    if (unlinked) this.unlinked.add(accountId);
    else this.unlinked.delete(accountId);
  }

  socketCreated(socket: SimulatedSocket): void {
    // A second socket for one account replaces the first, as WhatsApp does (stream error "conflict", 440).
    this.sockets.get(socket.accountId)?.end(boomError(DisconnectReason.connectionReplaced, 'Stream Errored (conflict)'));
    this.sockets.set(socket.accountId, socket);
    this.log.append({ type: 'connect', accountId: socket.accountId });
  }

  socketLoggedIn(socket: SimulatedSocket): void {
    const queued = this.offline.get(socket.accountId) ?? [];
    this.offline.delete(socket.accountId);
    const messages = queued.flatMap((item) => (item.event === 'messages.upsert' ? [item.message] : []));
    if (messages.length > 0) socket.emit('messages.upsert', { messages, type: 'append' });
    for (const item of queued) if (item.event === 'messages.update') socket.emit('messages.update', item.update);
  }

  socketEnded(socket: SimulatedSocket): void {
    if (this.sockets.get(socket.accountId) === socket) this.sockets.delete(socket.accountId);
    this.log.append({ type: 'disconnect', accountId: socket.accountId });
  }

  sendRecorded(accountId: string, to: string, waMessageId: string, text: string, rejected: boolean): void {
    this.sentTo.set(`${accountId}/${waMessageId}`, to);
    this.log.append({ type: 'send', accountId, to, waMessageId, text, ...(rejected ? { rejected } : {}) });
  }

  private openSocketOf(accountId: string): SimulatedSocket | undefined {
    const socket = this.sockets.get(accountId);
    return socket?.isOpen ? socket : undefined;
  }

  private queue(accountId: string, event: OfflineEvent): void {
    const queued = this.offline.get(accountId) ?? [];
    queued.push(event);
    if (queued.length > MAX_OFFLINE_EVENTS) queued.shift();
    this.offline.set(accountId, queued);
  }
}
