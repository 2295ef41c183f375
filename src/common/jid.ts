import { ACCOUNT_ID_PATTERN } from './ids';
import { InvalidInput } from './errors';

/**
 * The JIDs a thread can be about, once normalised: no device or agent suffix, `c.us` written as
 * `s.whatsapp.net` (what Baileys' `jidNormalizedUser` does). Group ids keep their old `creator-time` form.
 * A phone-number JID is E.164 digits, which never start with 0, and a LID is a number, written without
 * leading zeros: `040712345678@s.whatsapp.net` names no WhatsApp user. It is refused rather than
 * stripped, since stripping would turn a national number (`0712345678`) into another person's, and
 * accepting it as it is would give one client a second thread beside `40712345678@s.whatsapp.net`.
 */
const CLIENT_JID_PATTERN = /^([1-9]\d{4,19}@s\.whatsapp\.net|[1-9]\d{0,19}@lid|\d{5,20}(-\d{1,20})?@g\.us)$/;
const PHONE_SEPARATORS = /[\s().-]/g;

export function isClientJid(value: unknown): value is string {
  return typeof value === 'string' && CLIENT_JID_PATTERN.test(value);
}

/**
 * A JID as WhatsApp sends it (`4071...:12@s.whatsapp.net`, `..._1:3@lid`, `...@c.us`) to its thread form,
 * or undefined when it is no person, LID or group (broadcasts, newsletters, malformed input).
 */
export function normalizeJid(jid: string | null | undefined): string | undefined {
  if (typeof jid !== 'string') return undefined;
  const at = jid.indexOf('@');
  if (at <= 0) return undefined;
  const server = jid.slice(at + 1) === 'c.us' ? 's.whatsapp.net' : jid.slice(at + 1);
  const user = jid.slice(0, at).split(':')[0].split('_')[0];
  const normalized = `${user}@${server}`;
  return isClientJid(normalized) ? normalized : undefined;
}

/** The `to` of a send: digits with country code (`40712345678`, `+40 712 345 678`) or a full JID. */
export function recipientToJid(to: string, field = 'to'): string {
  const trimmed = to.trim();
  if (trimmed.includes('@')) {
    const jid = normalizeJid(trimmed);
    if (!jid) {
      if (trimmed.startsWith('0')) throw new InvalidInput(field, 'must start with the country code, not 0');
      throw new InvalidInput(field, 'must be a phone number with country code or a user, LID or group JID');
    }
    return jid;
  }
  const digits = trimmed.replace(PHONE_SEPARATORS, '').replace(/^\+/, '');
  if (!/^\d+$/.test(digits)) throw new InvalidInput(field, 'must be a phone number: digits with country code, optionally with +, spaces or dashes');
  if (digits.startsWith('0')) throw new InvalidInput(field, 'must start with the country code, not 0');
  if (digits.length < 8 || digits.length > 15) throw new InvalidInput(field, 'must have 8 to 15 digits including the country code');
  return `${digits}@s.whatsapp.net`;
}

/**
 * The thread rule, in one place: one thread per account and client, never shared across accounts.
 * A client JID holds no `_` and an account id no `__` but may end in `_` (`acme_` gives `acme___4071...`),
 * so a thread id splits at its LAST `__`; firestore.rules makes the same split.
 */
export function threadIdOf(accountId: string, clientJid: string): string {
  return `${accountId}__${clientJid}`;
}

export function parseThreadId(threadId: unknown, field = 'threadId'): { accountId: string; clientJid: string } {
  const parts = splitThreadId(threadId);
  if (!parts) throw new InvalidInput(field, 'must be {accountId}__{clientJid}, e.g. account1__40712345678@s.whatsapp.net');
  return parts;
}

/** The account and client of a thread id, or undefined when it is none. */
export function splitThreadId(threadId: unknown): { accountId: string; clientJid: string } | undefined {
  if (typeof threadId !== 'string' || threadId.length > 160) return undefined;
  const split = threadId.lastIndexOf('__');
  if (split < 0) return undefined;
  const accountId = threadId.slice(0, split);
  const clientJid = threadId.slice(split + 2);
  return ACCOUNT_ID_PATTERN.test(accountId) && isClientJid(clientJid) ? { accountId, clientJid } : undefined;
}
