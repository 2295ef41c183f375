/** What a message is, as its answer's `type` says (CONTRACT "Media messages"). */
export const MEDIA_TYPES = ['image', 'video', 'audio', 'voice', 'document', 'sticker'] as const;
export type MediaType = (typeof MEDIA_TYPES)[number];
export const MESSAGE_TYPES = ['text', ...MEDIA_TYPES, 'location', 'contact', 'reaction', 'unsupported'] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

export function isMediaType(type: string): type is MediaType {
  return (MEDIA_TYPES as readonly string[]).includes(type);
}

/** A media message's file, as the message answer's `media` carries it. The bytes live in the blob store under `sha256`. */
export interface MessageMedia {
  mimetype: string;
  fileName: string | null;
  /** Bytes; for inbound media not stored yet, the size WhatsApp announced. */
  size: number;
  /** Hex SHA-256 of the plain bytes: the blob's address. Inbound media not stored yet carries WhatsApp's file hash. */
  sha256: string;
  caption: string | null;
  /** Whether the bytes are in the blob store (inbound media is downloaded after its message is stored). */
  stored: boolean;
}

/** What a location, contact or reaction message carries, stored with it (never dropped). */
export type MessageContent =
  | { kind: 'location'; latitude: number; longitude: number; name: string | null; address: string | null }
  | { kind: 'contact'; displayName: string | null; vcard: string | null }
  | { kind: 'reaction'; targetWaMessageId: string; emoji: string };
