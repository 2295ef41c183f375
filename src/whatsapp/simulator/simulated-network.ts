import { createHash } from 'node:crypto';
import { DisconnectReason, type BaileysEventMap, type UserFacingSocketConfig, type WAMessage } from '@whiskeysockets/baileys';
import { ExpiringCache } from '../baileys/expiring-cache';
import { SocketFactory } from '../baileys/socket-factory';
import { boomError } from './simulated-events';
import { SimulatedLimits } from './simulated-limits';
import { SimulatedMediaServer } from './simulated-media';
import { SimulatedSocket, type SimulatedNetwork } from './simulated-socket';
import { SimulatorLog } from './simulator-log';
import type { SentMediaLine } from './sent-media';

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

type DeliveredEvent = 'messages.upsert' | 'messages.update' | 'message-receipt.update';

/** An event WhatsApp delivers to an account, or holds for it while it is away. */
export type AccountEvent = { [E in DeliveredEvent]: { event: E; payload: BaileysEventMap[E] } }[DeliveredEvent];

/** Per offline account, the oldest queued events are dropped beyond this. */
const MAX_OFFLINE_EVENTS = 10_000;

/**
 * WhatsApp's side of the simulator, for this process: it makes the sockets (the simulator provider's
 * `SocketFactory`), knows which account's socket is current, which devices the phone unlinked, what waits
 * for an offline account, and where each sent id went; and it writes the provider log.
 */
export class SimulatedWhatsApp extends SocketFactory implements SimulatedNetwork {
  readonly settings: SimulatedNetwork['settings'];
  readonly limits = new SimulatedLimits();
  readonly media = new SimulatedMediaServer();
  private readonly sockets = new Map<string, SimulatedSocket>();
  private readonly unlinked = new Set<string>();
  private readonly offline = new Map<string, AccountEvent[]>();
  /** Which chat each sent id went to, so a receipt injected by id alone is addressed as WhatsApp would. */
  private readonly sentTo = new ExpiringCache(24 * 60 * 60_000, 100_000);
  private readonly log: SimulatorLog;

  constructor(options: SimulatorOptions) {
    super();
    if (!(options.failureRate >= 0 && options.failureRate <= 1)) throw new RangeError('failureRate must be within 0..1');
    if (!(options.sendMs >= 0)) throw new RangeError('sendMs must be 0 or more');
    this.settings = {
      sendMs: options.sendMs,
      failureRate: options.failureRate,
      requireScan: options.requireScan,
      random: options.random ?? Math.random,
    };
    this.log = new SimulatorLog(options.logPath, options.workerId);
  }

  create(accountId: string, config: UserFacingSocketConfig): SimulatedSocket {
    return new SimulatedSocket(accountId, config, this);
  }

  /** The account's current socket in this process, whatever its state. */
  socketOf(accountId: string): SimulatedSocket | undefined {
    return this.sockets.get(accountId);
  }

  /** Emits the event on the account's socket when it is logged in (true), else holds it for its next login here. */
  deliver(accountId: string, event: AccountEvent): boolean {
    const socket = this.sockets.get(accountId);
    if (socket?.isOpen) {
      emitOn(socket, event);
      return true;
    }
    const queued = this.offline.get(accountId) ?? [];
    queued.push(event);
    if (queued.length > MAX_OFFLINE_EVENTS) queued.shift();
    this.offline.set(accountId, queued);
    return false;
  }

  chatOfSent(accountId: string, waMessageId: string): string | undefined {
    return this.sentTo.get<string>(`${accountId}/${waMessageId}`);
  }

  /** The account's own number: stable per account id, in the 4079 range. */
  phoneOf(accountId: string): string {
    const digits = BigInt(`0x${createHash('sha256').update(accountId).digest('hex').slice(0, 12)}`).toString();
    return `4079${digits.padStart(9, '0').slice(-9)}`;
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

  /** What was held arrives as WhatsApp replays it: the messages as one `append` upsert, then the rest in order. */
  socketLoggedIn(socket: SimulatedSocket): void {
    const held = this.offline.get(socket.accountId) ?? [];
    this.offline.delete(socket.accountId);
    const messages: WAMessage[] = held.flatMap((item) => (item.event === 'messages.upsert' ? item.payload.messages : []));
    if (messages.length > 0) socket.emit('messages.upsert', { messages, type: 'append' });
    for (const item of held) if (item.event !== 'messages.upsert') emitOn(socket, item);
  }

  socketEnded(socket: SimulatedSocket): void {
    if (this.sockets.get(socket.accountId) === socket) this.sockets.delete(socket.accountId);
    this.log.append({ type: 'disconnect', accountId: socket.accountId });
  }

  /** `rejected`: WhatsApp will refuse it (a transient failure), so the audit does not count it as delivered. */
  sendRecorded(accountId: string, to: string, waMessageId: string, text: string, rejected: boolean, media?: SentMediaLine): void {
    this.sentTo.set(`${accountId}/${waMessageId}`, to);
    this.log.append({ type: 'send', accountId, to, waMessageId, text, ...(media ? { media } : {}), ...(rejected ? { rejected } : {}) });
  }
}

/** One case per event, so TypeScript checks each payload against its event. */
function emitOn(socket: SimulatedSocket, event: AccountEvent): void {
  switch (event.event) {
    case 'messages.upsert':
      return socket.emit(event.event, event.payload);
    case 'messages.update':
      return socket.emit(event.event, event.payload);
    case 'message-receipt.update':
      return socket.emit(event.event, event.payload);
  }
}
