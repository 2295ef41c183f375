import { EventEmitter } from 'node:events';
import type { Readable } from 'node:stream';
import type { BaileysEventMap, Contact, GroupMetadata, ReachoutTimelockState, UserFacingSocketConfig, WAMessage } from '@whiskeysockets/baileys';
import { SocketFactory, type ProviderSocket, type SocketContent } from '../../../../src/whatsapp/baileys/socket-factory';

/**
 * A socket that does nothing by itself: the test plays WhatsApp by emitting Baileys events on `ev` and
 * frames on `ws`. Unlike Baileys it never removes listeners, so whatever stays attached is the
 * connection's doing. Sends are kept as the frames WhatsApp would have received.
 */
export class StandInSocket implements ProviderSocket {
  readonly ev = new EventEmitter();
  readonly ws = new EventEmitter();
  readonly written: Array<{ jid: string; text: string; messageId: string }> = [];
  user: Contact | undefined = { id: '40700000001:7@s.whatsapp.net', name: 'Stand-in' };
  ended = false;
  failNextSend: Error | undefined;
  /** The most `sendMessage` calls that were under way at one time. */
  mostSendsAtOnce = 0;
  private sendsUnderWay = 0;
  private nextSendHeld: Promise<void> | undefined;

  constructor(readonly config: UserFacingSocketConfig) {}

  emitEvent<T extends keyof BaileysEventMap>(event: T, payload: BaileysEventMap[T]): void {
    this.ev.emit(event, payload);
  }

  listenerTotal(): { ev: number; ws: number } {
    const total = (emitter: EventEmitter) => emitter.eventNames().reduce((sum, name) => sum + emitter.listenerCount(name), 0);
    return { ev: total(this.ev), ws: total(this.ws) };
  }

  /** The next `sendMessage` hangs (as Baileys does fetching devices) until the test lets it fail. */
  holdNextSend(): { fail(error: Error): void } {
    let fail!: (error: Error) => void;
    this.nextSendHeld = new Promise<void>((_, reject) => (fail = reject));
    return { fail };
  }

  async sendMessage(jid: string, content: SocketContent, options: { messageId: string }): Promise<WAMessage | undefined> {
    this.mostSendsAtOnce = Math.max(this.mostSendsAtOnce, ++this.sendsUnderWay);
    try {
      const held = this.nextSendHeld;
      this.nextSendHeld = undefined;
      await held;
      if (this.failNextSend) throw this.failNextSend;
      this.written.push({ jid, text: 'text' in content ? content.text : '', messageId: options.messageId });
      return undefined;
    } finally {
      this.sendsUnderWay -= 1;
    }
  }

  async requestPairingCode(): Promise<string> {
    return 'ABCD1234';
  }

  async logout(): Promise<void> {}

  async downloadMedia(): Promise<Readable> {
    throw new Error('the stand-in has no media');
  }

  async updateMediaMessage(message: WAMessage): Promise<WAMessage> {
    return message;
  }

  end(): void {
    this.ended = true;
  }

  async groupMetadata(jid: string): Promise<GroupMetadata> {
    return { id: jid, subject: 'stand-in group', owner: undefined, participants: [] };
  }

  /** What WhatsApp answers for the reach-out lock; none unless a test sets one. */
  reachOutLock: ReachoutTimelockState = { isActive: false };

  async fetchAccountReachoutTimelock(): Promise<ReachoutTimelockState> {
    return this.reachOutLock;
  }
}

export class StandInSocketFactory extends SocketFactory {
  readonly sockets: StandInSocket[] = [];

  create(_accountId: string, config: UserFacingSocketConfig): StandInSocket {
    const socket = new StandInSocket(config);
    this.sockets.push(socket);
    return socket;
  }

  get latest(): StandInSocket {
    const socket = this.sockets.at(-1);
    if (!socket) throw new Error('no socket was created');
    return socket;
  }
}
