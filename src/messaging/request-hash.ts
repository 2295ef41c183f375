import { createHash } from 'node:crypto';

/**
 * What makes two sends "the same request" for idempotency: the normalised recipient and the text.
 * `+40 712…` and `40712…@s.whatsapp.net` are one request; the same key with another text is a conflict.
 */
export function requestHash(clientJid: string, text: string): string {
  return createHash('sha256').update(JSON.stringify([clientJid, text])).digest('hex');
}
