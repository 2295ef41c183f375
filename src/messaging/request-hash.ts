import { createHash } from 'node:crypto';

/**
 * What makes two sends "the same request" for idempotency: the normalised recipient and the text.
 * `+40 712…` and `40712…@s.whatsapp.net` are one request; the same key with another text is a conflict.
 */
export function requestHash(clientJid: string, text: string): string {
  return createHash('sha256').update(JSON.stringify([clientJid, text])).digest('hex');
}

/**
 * The same for a media send: the recipient, what is said of the file, and where its bytes came from: their
 * SHA-256, or for `{url}` the URL (a retry fetching it again is the same request even if the file changed).
 */
export function mediaRequestHash(clientJid: string, media: { type: string; caption: string | null; fileName: string | null; source: string }): string {
  return createHash('sha256').update(JSON.stringify([clientJid, media.type, media.caption, media.fileName, media.source])).digest('hex');
}
