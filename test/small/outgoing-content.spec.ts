import { describe, expect, it } from 'vitest';
import { mediaContentOf } from '../../src/whatsapp/baileys/outgoing-content';
import type { OutgoingMedia } from '../../src/whatsapp/whatsapp-provider';

const upload = { stream: 'the stream' as never };

function media(overrides: Partial<OutgoingMedia>): OutgoingMedia {
  return { type: 'image', mimetype: 'image/jpeg', fileName: null, caption: null, sha256: 'ab'.repeat(32), size: 3, open: async () => upload.stream, ...overrides };
}

describe("each media type as Baileys' AnyMediaMessageContent", () => {
  it.each([
    ['image', media({ caption: 'look' }), { image: upload, mimetype: 'image/jpeg', caption: 'look' }],
    ['image without a caption', media({}), { image: upload, mimetype: 'image/jpeg' }],
    ['video', media({ type: 'video', mimetype: 'video/mp4', caption: 'clip' }), { video: upload, mimetype: 'video/mp4', caption: 'clip' }],
    ['audio (no caption in WhatsApp)', media({ type: 'audio', mimetype: 'audio/mpeg', caption: 'dropped' }), { audio: upload, mimetype: 'audio/mpeg' }],
    ['voice: ptt, Opus in Ogg', media({ type: 'voice', mimetype: 'audio/ogg' }), { audio: upload, ptt: true, mimetype: 'audio/ogg; codecs=opus' }],
    [
      'document with its name and caption',
      media({ type: 'document', mimetype: 'application/pdf', fileName: 'invoice.pdf', caption: 'March' }),
      { document: upload, mimetype: 'application/pdf', fileName: 'invoice.pdf', caption: 'March' },
    ],
    ['document without a name', media({ type: 'document', mimetype: 'text/plain' }), { document: upload, mimetype: 'text/plain', fileName: 'file' }],
    ['sticker: webp, no caption', media({ type: 'sticker', mimetype: 'image/webp', caption: 'dropped' }), { sticker: upload, mimetype: 'image/webp' }],
  ])('%s', (_case, given, expected) => {
    expect(mediaContentOf(given, upload)).toEqual(expected);
  });
});
