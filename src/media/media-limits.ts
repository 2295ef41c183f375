import { MediaType } from './media';

const MIB = 1024 * 1024;

/** WhatsApp's limits per type, in MiB (CONTRACT "Media messages"); a document's is MEDIA_MAX_MB. */
const LIMIT_MIB: Record<Exclude<MediaType, 'document'>, number> = { image: 16, video: 64, audio: 64, voice: 64, sticker: 0.5 };

export function mediaLimitMib(type: MediaType, documentMaxMb: number): number {
  return type === 'document' ? documentMaxMb : LIMIT_MIB[type];
}

/** The most bytes a file of this type may have, sent or received. */
export function mediaLimitBytes(type: MediaType, documentMaxMb: number): number {
  return Math.floor(mediaLimitMib(type, documentMaxMb) * MIB);
}
