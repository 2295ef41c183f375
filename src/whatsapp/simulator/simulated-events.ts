import { randomBytes } from 'node:crypto';
import { proto, type BaileysEventMap, type BinaryNode, type WAMessage } from '@whiskeysockets/baileys';

/**
 * The simulator's events, in the shapes and types Baileys emits them (same builders as Baileys' own code
 * paths, cited on each), so the connection and translation code cannot tell the simulator from WhatsApp.
 */

/** Baileys closes sockets with a Boom error; the connection reads `output.statusCode`. */
export function boomError(statusCode: number, message: string): Error {
  const error = new Error(message);
  return Object.assign(error, {
    isBoom: true,
    output: { statusCode, payload: { statusCode, error: 'Simulated', message }, headers: {} },
  });
}

/**
 * An IQ answered with `<error code=... text=...>`, as Baileys' `assertNodeErrorFree` throws it from
 * `query`: a Boom whose `data` is the code (its `output.statusCode` stays Boom's default 500).
 */
export function queryError(code: number, text: string): Error {
  return Object.assign(boomError(500, text), { data: code });
}

/** A received message, as `handleMessage` upserts it: key from the stanza, `messageTimestamp` in seconds. */
export function receivedMessage(input: { chatJid: string; waMessageId: string; content: proto.IMessage; fromMe: boolean; seconds: number }): WAMessage {
  // `fromObject` turns the uint64 timestamp into a protobuf Long, as decoded stanzas have it.
  const message = proto.WebMessageInfo.fromObject({
    key: { remoteJid: input.chatJid, fromMe: input.fromMe, id: input.waMessageId },
    message: input.content,
    messageTimestamp: input.seconds,
    pushName: input.fromMe ? undefined : 'Simulated contact',
  });
  return message as WAMessage;
}

/** Baileys' echo of our own send (`emitOwnEvents`: `upsertMessage(fullMsg, 'append')` after the relay). */
export function sentMessage(input: { chatJid: string; waMessageId: string; message: proto.IMessage; seconds: number }): WAMessage {
  return {
    key: { remoteJid: input.chatJid, fromMe: true, id: input.waMessageId },
    message: proto.Message.fromObject(input.message),
    messageTimestamp: input.seconds,
    status: proto.WebMessageInfo.Status.PENDING,
  };
}

/** WhatsApp's server ack of a sent message; `error` makes it a rejection (see Baileys' `handleBadAck`). */
export function messageAckFrame(input: { waMessageId: string; chatJid: string; seconds: number; error?: string }): BinaryNode {
  const attrs: BinaryNode['attrs'] = { class: 'message', id: input.waMessageId, from: input.chatJid, t: String(input.seconds) };
  if (input.error) attrs.error = input.error;
  return { tag: 'ack', attrs };
}

/** `handleBadAck`'s `messages.update`: ERROR with the server's code as the first stub parameter. */
export function rejectedUpdate(input: { chatJid: string; waMessageId: string; code: string }): BaileysEventMap['messages.update'] {
  return [
    {
      key: { remoteJid: input.chatJid, fromMe: true, id: input.waMessageId },
      update: { status: proto.WebMessageInfo.Status.ERROR, messageStubParameters: [input.code] },
    },
  ];
}

/** `handleReceipt` for a 1:1 chat: a `messages.update` whose `messageTimestamp` is the receipt's time. */
export function statusUpdate(input: { chatJid: string; waMessageId: string; status: number; seconds: number }): BaileysEventMap['messages.update'] {
  return [
    {
      key: { remoteJid: input.chatJid, fromMe: true, id: input.waMessageId },
      update: { status: input.status, messageTimestamp: input.seconds },
    },
  ];
}

/** `handleReceipt` for a group: one `message-receipt.update` per participant; anything past delivery is a read. */
export function groupReceipt(input: {
  groupJid: string;
  participant: string;
  waMessageId: string;
  status: number;
  seconds: number;
}): BaileysEventMap['message-receipt.update'] {
  const field = input.status === proto.WebMessageInfo.Status.DELIVERY_ACK ? 'receiptTimestamp' : 'readTimestamp';
  return [
    {
      key: { remoteJid: input.groupJid, fromMe: true, id: input.waMessageId, participant: input.participant },
      receipt: proto.UserReceipt.fromObject({ userJid: input.participant, [field]: input.seconds }),
    },
  ];
}

/** What `configureSuccessfulPairing` puts in the creds after a scan; `account` marks the device as linked. */
export function linkedCreds(phone: string, name: string): Pick<BaileysEventMap['creds.update'], 'me' | 'account' | 'platform'> {
  return {
    me: { id: `${phone}:1@s.whatsapp.net`, lid: `${phone.split('').reverse().join('')}:1@lid`, name },
    account: proto.ADVSignedDeviceIdentity.fromObject({ details: randomBytes(16), accountSignatureKey: randomBytes(32) }),
    platform: 'simulator',
  };
}

/** A phone's message id (iOS style: 3A + 18 hex), for injected inbound messages. */
export function phoneMessageId(): string {
  return `3A${randomBytes(9).toString('hex').toUpperCase()}`;
}

const CROCKFORD = '123456789ABCDEFGHJKLMNPQRSTVWXYZ';

/** An 8-character pairing code in the alphabet Baileys uses (`bytesToCrockford`). */
export function pairingCode(): string {
  return Array.from(randomBytes(8), (byte) => CROCKFORD[byte % CROCKFORD.length]).join('');
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
