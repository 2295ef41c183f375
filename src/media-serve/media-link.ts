import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * A signed media link's parts (CONTRACT: `{PUBLIC_URL}/media/{messageRef}?exp=&sig=`). The ref names the
 * message (its thread id in base64url, a dot, its message id); `exp` is in epoch seconds; `sig` is the
 * HMAC-SHA256 of both under MEDIA_LINK_SECRET, so neither can be changed without the secret.
 */
export interface MediaLinkParts {
  messageRef: string;
  exp: number;
  sig: string;
}

export function messageRefOf(threadId: string, messageId: string): string {
  return `${Buffer.from(threadId, 'utf8').toString('base64url')}.${messageId}`;
}

/** The thread and message a ref names; null when it is no ref we make. */
export function messageOfRef(messageRef: string): { threadId: string; messageId: string } | null {
  const dot = messageRef.lastIndexOf('.');
  if (dot <= 0 || dot === messageRef.length - 1) return null;
  return { threadId: Buffer.from(messageRef.slice(0, dot), 'base64url').toString('utf8'), messageId: messageRef.slice(dot + 1) };
}

export function linkSignature(secret: string, messageRef: string, exp: number): string {
  return createHmac('sha256', secret).update(`${messageRef}\n${exp}`).digest('base64url');
}

/** Compared in constant time over the HMAC's length: a forger learns nothing from how long a refusal took. */
export function isSignedBy(secret: string, link: MediaLinkParts): boolean {
  const expected = Buffer.from(linkSignature(secret, link.messageRef, link.exp));
  const given = Buffer.from(link.sig);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
