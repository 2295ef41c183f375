import { createHash, randomBytes } from 'node:crypto';
import { proto, type WAMessage } from '@whiskeysockets/baileys';
import { describe, expect, it } from 'vitest';
import { messagesOfUpsert } from '../../src/whatsapp/baileys/provider-events/message-upsert';

const PN = '40712345678@s.whatsapp.net';
const ID = '3A0123456789ABCDEF01';
const SECONDS = 1_760_000_000;
const plain = Buffer.from('the file');
const fileSha256 = createHash('sha256').update(plain).digest();
const mediaKey = randomBytes(32);
const fileEncSha256 = randomBytes(32);

/** A file's proto fields as WhatsApp sends them (bytes decode as Uint8Array, uint64 as Long). */
function file(extra: Record<string, unknown> = {}) {
  return { url: 'https://mmg.whatsapp.net/v/t62.7118-24/abc.enc', directPath: '/v/t62.7118-24/abc.enc', mediaKey, fileSha256, fileEncSha256, fileLength: 8, ...extra };
}

function translate(message: Record<string, unknown>) {
  const info = proto.WebMessageInfo.fromObject({ key: { remoteJid: PN, fromMe: false, id: ID }, message, messageTimestamp: SECONDS }) as WAMessage;
  return messagesOfUpsert({ messages: [info], type: 'notify' });
}

describe('every kind of inbound message gets its type and what it carries', () => {
  it.each([
    ['image with caption', { imageMessage: file({ mimetype: 'image/jpeg', caption: 'look' }) }, 'image', 'image/jpeg', 'look', null, 'imageMessage'],
    ['video', { videoMessage: file({ mimetype: 'video/mp4' }) }, 'video', 'video/mp4', null, null, 'videoMessage'],
    ['round video note', { ptvMessage: file({ mimetype: 'video/mp4' }) }, 'video', 'video/mp4', null, null, 'ptvMessage'],
    ['audio', { audioMessage: file({ mimetype: 'audio/mpeg' }) }, 'audio', 'audio/mpeg', null, null, 'audioMessage'],
    ['voice note (ptt audio)', { audioMessage: file({ mimetype: 'audio/ogg; codecs=opus', ptt: true }) }, 'voice', 'audio/ogg; codecs=opus', null, null, 'audioMessage'],
    ['document in its caption wrapper', { documentWithCaptionMessage: { message: { documentMessage: file({ mimetype: 'application/pdf', fileName: 'invoice.pdf', caption: 'March' }) } } }, 'document', 'application/pdf', 'March', 'invoice.pdf', 'documentMessage'],
    ['sticker', { stickerMessage: file({ mimetype: 'image/webp' }) }, 'sticker', 'image/webp', null, null, 'stickerMessage'],
    ['view-once image without a MIME type', { viewOnceMessageV2: { message: { imageMessage: file() } } }, 'image', 'image/jpeg', null, null, 'imageMessage'],
  ])('%s', (_name, message, type, mimetype, caption, fileName, contentType) => {
    const { events, dropped } = translate(message);
    expect(dropped).toEqual([]);
    expect(events[0]).toMatchObject({
      type,
      text: caption,
      media: { mimetype, fileName, size: 8, sha256: fileSha256.toString('hex'), caption, stored: false },
      content: null,
    });
    expect(events[0].mediaSource).toEqual({
      key: { remoteJid: PN, fromMe: false, id: ID, participant: null },
      file: {
        contentType,
        url: 'https://mmg.whatsapp.net/v/t62.7118-24/abc.enc',
        directPath: '/v/t62.7118-24/abc.enc',
        mediaKey: mediaKey.toString('base64'),
        fileEncSha256: fileEncSha256.toString('base64'),
        fileSha256: fileSha256.toString('base64'),
        fileLength: 8,
        mimetype,
      },
    });
  });

  it.each([
    ['location', { locationMessage: { degreesLatitude: 44.43, degreesLongitude: 26.1, name: 'Shop', address: 'Main St 1' } }, 'location', { kind: 'location', latitude: 44.43, longitude: 26.1, name: 'Shop', address: 'Main St 1' }],
    ['live location', { liveLocationMessage: { degreesLatitude: -33.9, degreesLongitude: 151.2 } }, 'location', { kind: 'location', latitude: -33.9, longitude: 151.2, name: null, address: null }],
    ['contact', { contactMessage: { displayName: 'Ana', vcard: 'BEGIN:VCARD\r\nFN:Ana\r\nEND:VCARD' } }, 'contact', { kind: 'contact', displayName: 'Ana', vcard: 'BEGIN:VCARD\r\nFN:Ana\r\nEND:VCARD' }],
    [
      'several contacts, one vCard file',
      { contactsArrayMessage: { displayName: '2 contacts', contacts: [{ vcard: 'BEGIN:VCARD\r\nFN:A\r\nEND:VCARD' }, { vcard: 'BEGIN:VCARD\r\nFN:B\r\nEND:VCARD' }] } },
      'contact',
      { kind: 'contact', displayName: '2 contacts', vcard: 'BEGIN:VCARD\r\nFN:A\r\nEND:VCARD\r\nBEGIN:VCARD\r\nFN:B\r\nEND:VCARD' },
    ],
    ['reaction', { reactionMessage: { text: '👍', key: { remoteJid: PN, fromMe: true, id: '3EB0AAAAAAAAAAAAAAAA01' } } }, 'reaction', { kind: 'reaction', targetWaMessageId: '3EB0AAAAAAAAAAAAAAAA01', emoji: '👍' }],
    ['reaction taken back', { reactionMessage: { text: '', key: { id: '3EB0AAAAAAAAAAAAAAAA01' } } }, 'reaction', { kind: 'reaction', targetWaMessageId: '3EB0AAAAAAAAAAAAAAAA01', emoji: '' }],
  ])('%s', (_name, message, type, content) => {
    const { events, dropped } = translate(message);
    expect(dropped).toEqual([]);
    expect(events[0]).toMatchObject({ type, text: null, media: null, mediaSource: null, content });
  });

  it.each([
    ['a poll', { pollCreationMessageV3: { name: 'lunch?', options: [{ optionName: 'yes' }] } }],
    ['an event', { eventMessage: { name: 'party' } }],
    ['a payment request', { requestPaymentMessage: { currencyCodeIso4217: 'EUR' } }],
  ])('%s is unsupported with no text, and kept', (_name, message) => {
    const { events, dropped } = translate(message);
    expect(dropped).toEqual([]);
    expect(events[0]).toMatchObject({ type: 'unsupported', text: null, media: null, mediaSource: null, content: null, waMessageId: ID });
  });

  it.each([
    ['a file without its media key', { imageMessage: { ...file(), mediaKey: undefined } }, 'invalid_media'],
    ['a file without its hash', { imageMessage: { ...file(), fileSha256: undefined } }, 'invalid_media'],
    ['a file with neither url nor path', { documentMessage: { ...file(), url: undefined, directPath: undefined } }, 'invalid_media'],
    ['a file at a plain-http url', { imageMessage: file({ url: 'http://mmg.whatsapp.net/x.enc' }) }, 'invalid_media'],
    ['a latitude off the globe', { locationMessage: { degreesLatitude: 91, degreesLongitude: 0 } }, 'invalid_location'],
    ['a location without longitude', { locationMessage: { degreesLatitude: 10 } }, 'invalid_location'],
    ['a reaction to no message id', { reactionMessage: { text: '👍', key: { id: '../x' } } }, 'invalid_reaction'],
  ])('drops and counts %s', (_name, message, reason) => {
    expect(translate(message)).toEqual({ events: [], dropped: [reason], lidMappings: [] });
  });
});
