import { isJidGroup, proto } from '@whiskeysockets/baileys';
import { InvalidInput } from '../../common/errors';
import { WA_MESSAGE_ID_PATTERN } from '../../common/ids';
import { recipientToJid } from '../../common/jid';
import { disconnectReasonOf } from './disconnect-reasons';
import { receiptStatusOf, type InjectedStatus } from './injected-status';
import { boomError, groupReceipt, nowSeconds, phoneMessageId, receivedMessage, rejectedUpdate, statusUpdate } from './simulated-events';
import { LIMIT_CODES, type LimitFault } from './simulated-limits';
import { SimulatedWhatsApp } from './simulated-network';
import type { MediaFault } from './simulated-media';
import type { MediaType } from '../../media/media';

export type { SimulatorOptions } from './simulated-network';

export interface InjectedInbound {
  /** Digits with country code or a JID: the client who writes (or, with `fromMe`, the chat the phone wrote to). */
  from: string;
  /** The text, or with `media` its caption. */
  text?: string;
  /** A file the client sends: its download (through the account's socket) gives these bytes. */
  media?: { base64: string; mimetype: string; fileName?: string; type: MediaType };
  waMessageId?: string;
  /** Written on the account's phone rather than received. */
  fromMe?: boolean;
}

export interface InjectedReceipt {
  waMessageId: string;
  /** `sent|delivered|read|played|error` or a Baileys status number 0..5. */
  status: InjectedStatus;
  /** The chat the message went to; needed only when this process did not send it. */
  chatJid?: string;
  /** The server's code for an `error` status; default 403 (a permanent rejection). */
  errorCode?: string;
}

/** `delivered`: the account's socket in this process got it now; otherwise it waits for the account's next login here. */
export interface InjectionResult {
  waMessageId: string;
  delivered: boolean;
}

/**
 * The hooks behind the simulator routes: what a client, a phone or WhatsApp would do to an account, turned
 * into the Baileys events the account's socket emits. It is also the simulated WhatsApp itself (the
 * simulator provider's `SocketFactory`, see `SimulatedWhatsApp`). Only this process's sockets are
 * reachable; bad input throws `InvalidInput` naming the field.
 */
export class WhatsAppSimulator extends SimulatedWhatsApp {
  /** A client writes to the account (or, with `fromMe`, the account's phone writes to the client). */
  injectInbound(accountId: string, input: InjectedInbound): InjectionResult {
    const chatJid = recipientToJid(input.from, 'from');
    const waMessageId = input.waMessageId ?? phoneMessageId();
    if (!WA_MESSAGE_ID_PATTERN.test(waMessageId)) throw new InvalidInput('waMessageId', 'must be 1-128 letters, digits, "_" or "-"');
    if (input.text !== undefined && typeof input.text !== 'string') throw new InvalidInput('text', 'must be a string');
    if (!input.media && input.text === undefined) throw new InvalidInput('text', 'is required without media');
    const content = input.media
      ? this.media.upload({ ...input.media, bytes: Buffer.from(input.media.base64, 'base64'), caption: input.text })
      : { conversation: input.text };
    const message = receivedMessage({ chatJid, waMessageId, content, fromMe: input.fromMe === true, seconds: nowSeconds() });
    const delivered = this.deliver(accountId, { event: 'messages.upsert', payload: { messages: [message], type: 'notify' } });
    return { waMessageId, delivered };
  }

  /** The recipient's phone (or WhatsApp, for `error`) reports on one of the account's sent messages. */
  injectReceipt(accountId: string, input: InjectedReceipt): InjectionResult {
    const status = receiptStatusOf(input.status);
    const chatJid = input.chatJid ? recipientToJid(input.chatJid, 'chatJid') : this.chatOfSent(accountId, input.waMessageId);
    if (!chatJid) throw new InvalidInput('waMessageId', 'was not sent through this simulator process; give chatJid too');
    const { waMessageId } = input;
    const seconds = nowSeconds();
    let delivered: boolean;
    if (status === proto.WebMessageInfo.Status.ERROR) {
      const payload = rejectedUpdate({ chatJid, waMessageId, code: input.errorCode ?? '403' });
      delivered = this.deliver(accountId, { event: 'messages.update', payload });
    } else if (isJidGroup(chatJid)) {
      // Groups report per participant (`message-receipt.update`); a simulated member answers.
      const participant = `${this.phoneOf(`${accountId}-member`)}@s.whatsapp.net`;
      const payload = groupReceipt({ groupJid: chatJid, participant, waMessageId, status, seconds });
      delivered = this.deliver(accountId, { event: 'message-receipt.update', payload });
    } else {
      const payload = statusUpdate({ chatJid, waMessageId, status, seconds });
      delivered = this.deliver(accountId, { event: 'messages.update', payload });
    }
    return { waMessageId, delivered };
  }

  /**
   * WhatsApp's limits on the account's next `sends` sends through this process: 429 (rate-overlimit, a
   * query error thrown by `sendMessage`) or 463 (the reach-out lock, the ack's error; with `lockForMs`,
   * the lock's end that `fetchAccountReachoutTimelock` reports). `sends: 0` lifts what is left.
   */
  limitSends(accountId: string, fault: LimitFault): LimitFault {
    if (!LIMIT_CODES.includes(fault.code)) throw new InvalidInput('code', `must be one of ${LIMIT_CODES.join(', ')}`);
    if (!Number.isInteger(fault.sends) || fault.sends < 0) throw new InvalidInput('sends', 'must be an integer, 0 or more');
    if (fault.lockForMs !== undefined && (fault.code !== '463' || !Number.isInteger(fault.lockForMs) || fault.lockForMs < 1)) {
      throw new InvalidInput('lockForMs', 'must be a positive integer, with code 463 only');
    }
    this.limits.set(accountId, fault);
    return fault;
  }

  /** The account's next download answers `status` instead of the file (404/410: its URL is gone until the phone re-uploads). */
  faultNextDownload(accountId: string, status: MediaFault): void {
    this.media.fault(accountId, status);
  }

  /** Completes a pending QR (or pairing-code) login; false when the account has none waiting in this process. */
  scan(accountId: string): boolean {
    const socket = this.socketOf(accountId);
    if (!socket?.isWaitingForScan) return false;
    socket.completeScan();
    return true;
  }

  /** Closes the account's socket as WhatsApp would for `reason` (a `DisconnectReason` name); false when it has none here. */
  disconnect(accountId: string, reason: string): boolean {
    const { name, statusCode, message } = disconnectReasonOf(reason);
    const socket = this.socketOf(accountId);
    if (!socket) return false;
    // The phone removed the device: WhatsApp refuses this session from now on.
    if (name === 'loggedOut') this.setUnlinked(accountId, true);
    socket.end(boomError(statusCode, message));
    return true;
  }
}
