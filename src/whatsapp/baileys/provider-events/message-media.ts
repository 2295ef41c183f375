import { toNumber, type proto } from '@whiskeysockets/baileys';
import type { MediaType } from '../../../media/media';
import type { DropReason } from '../../provider-event-drops';
import type { MediaFileRef, ProviderMessageContent } from '../../whatsapp-provider';

/** The proto fields that carry a file, and the message type each is. */
export type MediaContentType = 'imageMessage' | 'videoMessage' | 'ptvMessage' | 'audioMessage' | 'documentMessage' | 'stickerMessage';

/** One proto shape for the six: every field this reads is on each of them (or absent, which reads as undefined). */
type MediaProto = proto.Message.IImageMessage & proto.Message.IDocumentMessage & proto.Message.IAudioMessage;

const TYPE_OF: Record<MediaContentType, MediaType> = {
  imageMessage: 'image',
  videoMessage: 'video',
  // A round video note: a video for whoever reads it.
  ptvMessage: 'video',
  audioMessage: 'audio',
  documentMessage: 'document',
  stickerMessage: 'sticker',
};

/** What WhatsApp's clients assume when a file comes without a MIME type. */
const DEFAULT_MIMETYPE: Record<MediaType, string> = {
  image: 'image/jpeg',
  video: 'video/mp4',
  audio: 'audio/mpeg',
  voice: 'audio/ogg; codecs=opus',
  document: 'application/octet-stream',
  sticker: 'image/webp',
};

const SHA256_BYTES = 32;
const MEDIA_KEY_BYTES = 32;

/**
 * A media message's file: the `media` its answer carries (WhatsApp's announced size and file hash, not
 * stored yet) and what a later download needs (the proto's url, directPath, mediaKey and hashes, as
 * base64 so it can be kept as JSON). A file no download could fetch or check (no key, no path, no hash) is
 * not what WhatsApp sends: dropped as `invalid_media`.
 */
export function mediaOf(kind: MediaContentType, file: MediaProto | null | undefined, dropped: DropReason[]): ProviderMessageContent | undefined {
  const mediaKey = bytesOf(file?.mediaKey);
  const fileSha256 = bytesOf(file?.fileSha256);
  const url = stringOrNull(file?.url);
  const directPath = stringOrNull(file?.directPath);
  const fileLength = file?.fileLength === null || file?.fileLength === undefined ? 0 : toNumber(file.fileLength);
  if (
    mediaKey?.length !== MEDIA_KEY_BYTES ||
    fileSha256?.length !== SHA256_BYTES ||
    (url === null && directPath === null) ||
    (url !== null && !url.startsWith('https://')) ||
    !Number.isSafeInteger(fileLength) ||
    fileLength < 0
  ) {
    return void dropped.push('invalid_media');
  }
  const type: MediaType = kind === 'audioMessage' && file?.ptt === true ? 'voice' : TYPE_OF[kind];
  const mimetype = stringOrNull(file?.mimetype) ?? DEFAULT_MIMETYPE[type];
  const caption = stringOrNull(file?.caption);
  const source: MediaFileRef = {
    contentType: kind,
    url,
    directPath,
    mediaKey: mediaKey.toString('base64'),
    fileEncSha256: bytesOf(file?.fileEncSha256)?.toString('base64') ?? null,
    fileSha256: fileSha256.toString('base64'),
    fileLength,
    mimetype,
  };
  return {
    type,
    text: caption,
    media: { mimetype, fileName: stringOrNull(file?.fileName), size: fileLength, sha256: fileSha256.toString('hex'), caption, stored: false },
    file: source,
    content: null,
  };
}

/** Decoded protos carry bytes as Uint8Array; a message rebuilt from JSON (BufferJSON aside) as base64. */
function bytesOf(value: Uint8Array | string | null | undefined): Buffer | undefined {
  if (value instanceof Uint8Array) return Buffer.from(value);
  if (typeof value === 'string' && value.length > 0) return Buffer.from(value, 'base64');
  return undefined;
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null;
}
