import type { AnyMediaMessageContent, WAMediaUpload } from '@whiskeysockets/baileys';
import type { OutgoingContent, OutgoingMedia } from '../whatsapp-provider';
import type { SocketContent } from './socket-factory';

/** WhatsApp plays a voice note (`ptt`) only as Opus in Ogg; Baileys puts the mimetype it is given in the message. */
export const VOICE_MIMETYPE = 'audio/ogg; codecs=opus';
export const STICKER_MIMETYPE = 'image/webp';

/**
 * What one attempt hands to Baileys. A file goes as `{ stream }`: Baileys' `encryptedStream` reads it once
 * into an encrypted temporary file and uploads that (lib/Utils/messages-media.js), so it is never held
 * whole; a stream is read once, so each attempt opens the bytes again.
 */
export async function socketContentOf(content: OutgoingContent): Promise<SocketContent> {
  if ('text' in content) return { text: content.text, linkPreview: null };
  return mediaContentOf(content.media, { stream: await content.media.open() });
}

/** Baileys' message content for each of our media types; a caption only where WhatsApp shows one. */
export function mediaContentOf(media: OutgoingMedia, upload: WAMediaUpload): AnyMediaMessageContent {
  const caption = media.caption === null ? {} : { caption: media.caption };
  switch (media.type) {
    case 'image':
      return { image: upload, mimetype: media.mimetype, ...caption };
    case 'video':
      return { video: upload, mimetype: media.mimetype, ...caption };
    case 'audio':
      return { audio: upload, mimetype: media.mimetype };
    case 'voice':
      return { audio: upload, ptt: true, mimetype: VOICE_MIMETYPE };
    case 'document':
      // Baileys names a document without one `file`; ours keeps the name it was sent with.
      return { document: upload, mimetype: media.mimetype, fileName: media.fileName ?? 'file', ...caption };
    case 'sticker':
      return { sticker: upload, mimetype: STICKER_MIMETYPE };
  }
}

/** The stream a prepared send reads, so an attempt that ends before Baileys read it can close it. */
export function uploadStreamOf(content: SocketContent): { destroy(): void } | undefined {
  for (const key of ['image', 'video', 'audio', 'document', 'sticker'] as const) {
    const upload = (content as Partial<Record<typeof key, WAMediaUpload>>)[key];
    if (upload && typeof upload === 'object' && 'stream' in upload) return upload.stream;
  }
  return undefined;
}
