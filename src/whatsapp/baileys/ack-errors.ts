import { SendFailure } from '../whatsapp-provider';

/**
 * Error codes in WhatsApp's server ack of a message (`<ack class="message" error="...">`, see Baileys'
 * `handleBadAck`) that no retry of the same message will fix, so the outbox fails the message at once.
 * Everything else, and every code we have not seen, is transient: the outbox retries with the same
 * message id (WhatsApp keeps one message per id) until its attempts run out.
 */
const PERMANENT_ACK_ERRORS = new Map<string, string>([
  ['400', 'bad request: WhatsApp rejected the message stanza'],
  ['403', 'forbidden: the account may not message this recipient'],
  ['404', 'recipient not found on WhatsApp'],
  ['406', 'not acceptable: the recipient cannot receive this message'],
  // Baileys: "account restricted or missing tctoken for contact ... No retry: retrying counts as another
  // reach out and worsens the restriction."
  ['463', 'account restricted: WhatsApp does not allow starting this chat'],
]);

/** Codes kept transient on purpose, and what they mean (used in the failure message). */
export const TRANSIENT_ACK_ERRORS: Readonly<Record<string, string>> = {
  '408': 'server timeout',
  '429': 'rate limited: retry after backoff',
  '479': 'smax-invalid, a stale device list; Baileys refreshes devices, so a resend can pass',
  '500': 'server error',
  '503': 'service unavailable',
};

export function isPermanentAckError(code: string): boolean {
  return PERMANENT_ACK_ERRORS.has(code);
}

export function ackFailure(waMessageId: string, code: string): SendFailure {
  const meaning = PERMANENT_ACK_ERRORS.get(code) ?? TRANSIENT_ACK_ERRORS[code] ?? 'rejected';
  return new SendFailure(`WhatsApp rejected ${waMessageId} with error ${code}: ${meaning}`, isPermanentAckError(code), code);
}
