import type { Readable } from 'node:stream';
import {
  downloadMediaMessage,
  makeWASocket,
  type AnyMediaMessageContent,
  type BaileysEventMap,
  type BinaryNode,
  type Contact,
  type GroupMetadata,
  type ReachoutTimelockState,
  type UserFacingSocketConfig,
  type WAMessage,
} from '@whiskeysockets/baileys';
import type { MediaSocket } from './media-download';

/** `sock.ev`: Baileys' typed event emitter (it buffers and consolidates, so it is no Node EventEmitter). */
export interface SocketEventEmitter {
  on<T extends keyof BaileysEventMap>(event: T, listener: (arg: BaileysEventMap[T]) => void): void;
  off<T extends keyof BaileysEventMap>(event: T, listener: (arg: BaileysEventMap[T]) => void): void;
}

/**
 * `sock.ws`: the WebSocket client, on which Baileys emits every decoded frame under `CB:{tag},{attr}:{value}`
 * names. The server's ack of a sent message is only visible here (`CB:ack,class:message`).
 */
export interface SocketFrameEmitter {
  on(event: string, listener: (frame: BinaryNode) => void): unknown;
  off(event: string, listener: (frame: BinaryNode) => void): unknown;
}

/** A text send without link preview (see docs/baileys-socket.md): what `getMessage` returns is then the same message. */
export interface TextContent {
  text: string;
  linkPreview: null;
}

/** Every send Baileys is given: text, or one file as its `AnyMediaMessageContent` (see outgoing-content.ts). */
export type SocketContent = TextContent | AnyMediaMessageContent;

/** The part of Baileys' `WASocket` this app uses; the real socket, the simulator and test stand-ins all provide it. */
export interface ProviderSocket extends MediaSocket {
  readonly ev: SocketEventEmitter;
  readonly ws: SocketFrameEmitter;
  /** The logged-in account (`creds.me`), undefined before login. */
  readonly user: Contact | undefined;
  sendMessage(jid: string, content: SocketContent, options: { messageId: string }): Promise<WAMessage | undefined>;
  requestPairingCode(phoneNumber: string): Promise<string>;
  logout(message?: string): Promise<void>;
  end(error: Error | undefined): void | Promise<void>;
  groupMetadata(jid: string): Promise<GroupMetadata>;
  /** The account's reach-out lock (the 463 restriction) as WhatsApp reports it now. */
  fetchAccountReachoutTimelock(): Promise<ReachoutTimelockState>;
}

/** Makes one socket for one account. The account id is for stand-ins (the simulator keys its accounts by it). */
export abstract class SocketFactory {
  abstract create(accountId: string, config: UserFacingSocketConfig): ProviderSocket;
}

export class BaileysSocketFactory extends SocketFactory {
  create(_accountId: string, config: UserFacingSocketConfig): ProviderSocket {
    const socket = makeWASocket(config);
    // Not a spread: `user` is a getter over the live creds.
    return {
      ev: socket.ev,
      ws: socket.ws,
      get user() {
        return socket.user;
      },
      sendMessage: (jid, content, options) => socket.sendMessage(jid, content, options),
      requestPairingCode: (phoneNumber) => socket.requestPairingCode(phoneNumber),
      logout: (message) => socket.logout(message),
      groupMetadata: (jid) => socket.groupMetadata(jid),
      fetchAccountReachoutTimelock: () => socket.fetchAccountReachoutTimelock(),
      downloadMedia: (message) => baileysDownload(message, socket.updateMediaMessage, config.logger),
      updateMediaMessage: (message) => socket.updateMediaMessage(message),
      end: (error) => endTransportFirst(socket, error),
    };
  }
}

/**
 * Baileys' `end()` removes the WebSocket's `close` listeners before it closes it, so whatever was still
 * waiting on the connection (the handshake's next frame, a query's reply) keeps its timeout timer
 * (`connectTimeoutMs`, `defaultQueryTimeoutMs`) alive until it expires. Closing the WebSocket first
 * ends the socket the way a dropped connection does, which settles those waits at once; `end()` after
 * it is then a no-op, or the whole job if the WebSocket was already gone.
 */
async function endTransportFirst(socket: ReturnType<typeof makeWASocket>, error: Error | undefined): Promise<void> {
  if (!socket.ws.isClosed && !socket.ws.isClosing) await Promise.resolve(socket.ws.close()).catch(() => undefined);
  await socket.end(error);
}

/** Baileys' logger interface (pino-shaped), which its index does not export by name. */
export type SocketLogger = NonNullable<UserFacingSocketConfig['logger']>;

/**
 * Baileys' own download and decryption of an inbound file, as the product runs it (see media-download.ts
 * for why its re-upload on 404/410 is done again around it).
 */
export function baileysDownload(message: WAMessage, reuploadRequest: (message: WAMessage) => Promise<WAMessage>, logger: SocketLogger | undefined): Promise<Readable> {
  return downloadMediaMessage(message, 'stream', {}, logger ? { reuploadRequest, logger } : undefined);
}
