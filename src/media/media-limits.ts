import { MediaType } from './media';

const MIB = 1024 * 1024;

/** WhatsApp's per-type file limits, in MiB (CONTRACT "Media messages"); documents are MEDIA_MAX_MB's. */
const LIMIT_MIB: Record<Exclude<MediaType, 'document'>, number> = { image: 16, video: 64, audio: 64, voice: 64, sticker: 0.5 };

/** The largest file of this type, in bytes, for a send and a download alike. */
export function mediaLimitBytes(type: MediaType, documentMaxMb: number): number {
  return Math.floor((type === 'document' ? documentMaxMb : LIMIT_MIB[type]) * MIB);
}
