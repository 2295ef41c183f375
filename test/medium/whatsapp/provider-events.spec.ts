import { DisconnectReason, proto, type WAMessage, type WAMessageKey } from '@whiskeysockets/baileys';
import { describe, expect, it } from 'vitest';
import { connectionEventsOf, disconnectKindOf } from '../../../src/whatsapp/baileys/provider-events/connection-update';
import { lidMappingsOf, receiptsOfMessageUpdates, receiptsOfUserReceipts } from '../../../src/whatsapp/baileys/provider-events/message-status';
import { messagesOfUpsert } from '../../../src/whatsapp/baileys/provider-events/message-upsert';
import { boomError } from '../../../src/whatsapp/simulator/simulated-events';

const Status = proto.WebMessageInfo.Status;
const PN = '40712345678@s.whatsapp.net';
const SECONDS = 1_760_000_000;

function received(message: proto.IMessage, key: Partial<WAMessageKey> = {}, messageTimestamp: WAMessage['messageTimestamp'] = SECONDS): WAMessage {
  const info = proto.WebMessageInfo.fromObject({ key: { remoteJid: PN, fromMe: false, id: '3A0123456789ABCDEF01' }, message, messageTimestamp });
  return Object.assign(info, { key: { ...info.key, ...key } }) as WAMessage;
}

/** A protobuf Long, as decoded stanzas carry uint64 timestamps. */
function longOf(seconds: number) {
  const value = proto.WebMessageInfo.fromObject({ messageTimestamp: seconds }).messageTimestamp;
  expect(typeof value).toBe('object');
  return value;
}

function upsertOne(message: WAMessage, type: 'notify' | 'append' = 'notify') {
  return messagesOfUpsert({ messages: [message], type });
}

describe('connection.update to connection events', () => {
  it.each([
    ['connecting with an empty qr', { connection: 'connecting', qr: undefined }, [{ type: 'connecting' }]],
    ['a qr', { qr: '2@abc,def,ghi' }, [{ type: 'qr', qr: '2@abc,def,ghi' }]],
    ['open, phone from sock.user without the device', { connection: 'open' }, [{ type: 'open', phone: '40712345678', name: 'Shop' }]],
    ['pending notifications only', { receivedPendingNotifications: true }, []],
    ['new login without a qr', { isNewLogin: true, qr: undefined }, []],
  ] as const)('%s', (_name, update, expected) => {
    expect(connectionEventsOf(update, { id: '40712345678:4@s.whatsapp.net', name: 'Shop' })).toEqual(expected);
  });

  it.each([
    [428, 'connectionClosed'],
    [408, 'connectionLost'],
    [440, 'connectionReplaced'],
    [401, 'loggedOut'],
    [500, 'badSession'],
    [515, 'restartRequired'],
    [411, 'multideviceMismatch'],
    [403, 'forbidden'],
    [503, 'unavailableService'],
    [419, 'unknown'],
  ] as const)('close with Boom status %i is %s', (statusCode, reason) => {
    const [event] = connectionEventsOf({ connection: 'close', lastDisconnect: { error: boomError(statusCode, 'gone'), date: new Date() } }, undefined);
    expect(event).toEqual({ type: 'close', reason, statusCode, message: 'gone' });
  });

  it('names 408 connectionLost although Baileys also calls it timedOut', () => {
    expect(DisconnectReason.timedOut).toBe(DisconnectReason.connectionLost);
    expect(disconnectKindOf(DisconnectReason.timedOut)).toBe('connectionLost');
  });

  it('a close without a Boom error has no status code and is unknown', () => {
    const [event] = connectionEventsOf({ connection: 'close', lastDisconnect: { error: new Error('boom'), date: new Date() } }, undefined);
    expect(event).toEqual({ type: 'close', reason: 'unknown', statusCode: null, message: 'boom' });
  });
});

describe('messages.upsert to messages', () => {
  it.each([
    ['conversation', { conversation: 'hello' }, 'hello', 'text'],
    ['extended text', { extendedTextMessage: { text: 'see https://x.y' } }, 'see https://x.y', 'text'],
    ['ephemeral wrapper', { ephemeralMessage: { message: { extendedTextMessage: { text: 'disappearing' } } } }, 'disappearing', 'text'],
    ['unknown kind kept as unsupported', { eventMessage: { name: 'party' } }, null, 'unsupported'],
  ] as const)('%s', (_name, content, text, type) => {
    const { events, dropped } = upsertOne(received(content as proto.IMessage));
    expect(dropped).toEqual([]);
    expect(events).toEqual([
      {
        chatJid: PN,
        chatAltJid: null,
        fromMe: false,
        waMessageId: '3A0123456789ABCDEF01',
        timestamp: SECONDS * 1000,
        type,
        text,
        media: null,
        mediaSource: null,
        content: null,
        participant: null,
        upsertType: 'notify',
      },
    ]);
  });

  it.each([
    ['protocol message (revoke)', received({ protocolMessage: { type: proto.Message.ProtocolMessage.Type.REVOKE } })],
    ['status broadcast', received({ conversation: 'my story' }, { remoteJid: 'status@broadcast', participant: PN })],
    ['newsletter', received({ conversation: 'news' }, { remoteJid: '120363000000000001@newsletter' })],
    ['stub without content (decryption failed)', received(null as unknown as proto.IMessage)],
    ['key distribution alone', received({ senderKeyDistributionMessage: { groupId: '1@g.us' } })],
  ])('skips %s without counting it as dropped', (_name, message) => {
    expect(upsertOne(message)).toEqual({ events: [], dropped: [], lidMappings: [] });
  });

  it('normalises device-suffixed JIDs and keeps append upserts', () => {
    const { events } = upsertOne(received({ conversation: 'hi' }, { remoteJid: '40712345678:12@s.whatsapp.net' }), 'append');
    expect(events[0]).toMatchObject({ chatJid: PN, upsertType: 'append' });
  });

  it('a LID chat carries its phone-number JID as alt, and teaches the mapping', () => {
    const translated = upsertOne(received({ conversation: 'hi' }, { remoteJid: '987654321012345:3@lid', remoteJidAlt: '40712345678:3@s.whatsapp.net' }));
    expect(translated.events[0]).toMatchObject({ chatJid: '987654321012345@lid', chatAltJid: PN });
    expect(translated.lidMappings).toEqual([{ lid: '987654321012345@lid', pn: PN }]);
  });

  it('a group message names its participant, and its participantAlt becomes a mapping', () => {
    const message = received({ conversation: 'hi all' }, { remoteJid: '120363025246125888@g.us', participant: '111222333444555:2@lid', participantAlt: PN });
    const translated = upsertOne(message);
    expect(translated.events[0]).toMatchObject({ chatJid: '120363025246125888@g.us', chatAltJid: null, participant: '111222333444555@lid' });
    expect(translated.lidMappings).toEqual([{ lid: '111222333444555@lid', pn: PN }]);
  });

  it('reads a Long timestamp', () => {
    const { events } = upsertOne(received({ conversation: 'x' }, {}, longOf(SECONDS)));
    expect(events[0].timestamp).toBe(SECONDS * 1000);
  });

  it.each([
    ['an id with a slash', received({ conversation: 'x' }, { id: '../../etc' }), 'invalid_message_id'],
    ['an id too long', received({ conversation: 'x' }, { id: 'A'.repeat(129) }), 'invalid_message_id'],
    ['a chat JID that is no person, LID or group', received({ conversation: 'x' }, { remoteJid: 'abc@s.whatsapp.net' }), 'invalid_chat_jid'],
    // E.164 has no leading 0: kept, it would open a second thread for the client of 40712345678@s.whatsapp.net.
    ['a phone-number chat JID with a leading 0', received({ conversation: 'x' }, { remoteJid: '040712345678:3@s.whatsapp.net' }), 'invalid_chat_jid'],
    ['no timestamp', received({ conversation: 'x' }, {}, 0), 'invalid_timestamp'],
  ])('drops and counts %s', (_name, message, reason) => {
    expect(upsertOne(message)).toEqual({ events: [], dropped: [reason], lidMappings: [] });
  });

  it('keeps the message but drops an alt JID that does not normalise', () => {
    const translated = upsertOne(received({ conversation: 'x' }, { remoteJidAlt: 'nonsense' }));
    expect(translated.events[0].chatAltJid).toBeNull();
    expect(translated.dropped).toEqual(['invalid_alt_jid']);
  });
});

describe('messages.update and message-receipt.update to receipts', () => {
  const key = { remoteJid: '40712345678:2@s.whatsapp.net', fromMe: true, id: '3EB0AABBCCDDEEFF001122' };
  const statuses = Object.entries(Status).filter(([, value]) => typeof value === 'number') as [string, number][];

  it.each(statuses)('passes %s (%i) through', (_name, status) => {
    const { events, dropped } = receiptsOfMessageUpdates([{ key, update: { status, messageTimestamp: SECONDS } }]);
    expect(dropped).toEqual([]);
    const errorFields = status === Status.ERROR ? { permanentError: false } : {};
    expect(events).toStrictEqual([
      { chatJid: PN, fromMe: true, waMessageId: key.id, providerStatus: status, errorCode: null, ...errorFields, at: SECONDS * 1000 },
    ]);
  });

  it.each([
    ['403', true],
    ['463', false],
    ['503', false],
  ])('ERROR carries the server code %s from messageStubParameters (handleBadAck), permanent: %s', (code, permanentError) => {
    const { events } = receiptsOfMessageUpdates([{ key, update: { status: Status.ERROR, messageStubParameters: [code] } }]);
    expect(events).toStrictEqual([{ chatJid: PN, fromMe: true, waMessageId: key.id, providerStatus: Status.ERROR, errorCode: code, permanentError, at: null }]);
  });

  it('skips updates without a status (edits, revokes)', () => {
    expect(receiptsOfMessageUpdates([{ key, update: { message: { conversation: 'edited' } } }])).toEqual({ events: [], dropped: [] });
  });

  it.each([
    ['an unknown status', [{ key, update: { status: 9 } }], 'invalid_status'],
    ['a bad id', [{ key: { ...key, id: 'bad id' }, update: { status: Status.READ } }], 'invalid_message_id'],
    ['a bad chat', [{ key: { ...key, remoteJid: 'x' }, update: { status: Status.READ } }], 'invalid_chat_jid'],
  ])('drops %s', (_name, updates, reason) => {
    expect(receiptsOfMessageUpdates(updates)).toEqual({ events: [], dropped: [reason] });
  });

  const groupKey = { remoteJid: '120363025246125888@g.us', fromMe: true, id: key.id, participant: PN };
  it.each([
    ['receiptTimestamp is a delivery', { receiptTimestamp: SECONDS }, Status.DELIVERY_ACK],
    ['readTimestamp is a read', { readTimestamp: SECONDS }, Status.READ],
    ['playedTimestamp is played', { playedTimestamp: SECONDS }, Status.PLAYED],
  ])('group receipt: %s', (_name, fields, providerStatus) => {
    const receipt = proto.UserReceipt.fromObject({ userJid: PN, ...fields });
    const { events } = receiptsOfUserReceipts([{ key: groupKey, receipt }]);
    expect(events).toEqual([{ chatJid: groupKey.remoteJid, fromMe: true, waMessageId: key.id, providerStatus, errorCode: null, at: SECONDS * 1000 }]);
  });
});

describe('lid-mapping.update', () => {
  it('normalises a valid mapping and drops a swapped one', () => {
    const translated = lidMappingsOf([
      { lid: '987654321012345:1@lid', pn: '40712345678:1@s.whatsapp.net' },
      { lid: PN, pn: '987654321012345@lid' },
    ]);
    expect(translated).toEqual({ events: [{ lid: '987654321012345@lid', pn: PN }], dropped: ['invalid_lid_mapping'] });
  });
});
