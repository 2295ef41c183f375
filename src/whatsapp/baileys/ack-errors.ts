import { AccountLimit, PauseReason, SendFailure } from '../whatsapp-provider';

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
]);

/**
 * Codes that limit the account rather than the message: the account is paused and the message sent again
 * after the pause. 463 is the reach-out lock (Baileys: "No retry: retrying counts as another reach out and
 * worsens the restriction", so nothing is sent until the lock ends); 429 is rate-overlimit.
 */
const ACCOUNT_LIMIT_ERRORS = new Map<string, { reason: PauseReason; meaning: string }>([
  ['429', { reason: 'rate_overlimit', meaning: 'rate-overlimit: the account is paused' }],
  ['463', { reason: 'reach_out_locked', meaning: 'account restricted (reach-out lock): the account is paused' }],
]);

/** Codes kept transient on purpose, and what they mean (used in the failure message). */
export const TRANSIENT_ACK_ERRORS: Readonly<Record<string, string>> = {
  '408': 'server timeout',
  '479': 'smax-invalid, a stale device list; Baileys refreshes devices, so a resend can pass',
  '500': 'server error',
  '503': 'service unavailable',
};

/** Baileys' text of an IQ answered `<error code="429" text="rate-overlimit"/>` (its `assertNodeErrorFree`). */
const RATE_OVERLIMIT_TEXT = 'rate-overlimit';

export function isPermanentAckError(code: string): boolean {
  return PERMANENT_ACK_ERRORS.has(code);
}

export function ackFailure(waMessageId: string, code: string): SendFailure {
  const limited = ACCOUNT_LIMIT_ERRORS.get(code);
  const meaning = limited?.meaning ?? PERMANENT_ACK_ERRORS.get(code) ?? TRANSIENT_ACK_ERRORS[code] ?? 'rejected';
  const limit: AccountLimit | null = limited ? { reason: limited.reason, until: null } : null;
  return new SendFailure(`WhatsApp rejected ${waMessageId} with error ${code}: ${meaning}`, isPermanentAckError(code), code, limit);
}

/**
 * A rate-overlimit thrown by `sendMessage` itself: a query the send makes first (devices, pre-keys) was
 * answered 429. Baileys throws it as `Boom(text, { data: code })`, so the code is in `data`, not in
 * `output.statusCode` (500 there); null for any other error.
 */
export function rateLimitFailureOf(waMessageId: string, error: unknown): SendFailure | null {
  const boom = error as { isBoom?: unknown; data?: unknown; message?: unknown } | undefined;
  if (boom?.isBoom !== true || (boom.data !== 429 && boom.message !== RATE_OVERLIMIT_TEXT)) return null;
  return new SendFailure(`sending ${waMessageId} failed: ${RATE_OVERLIMIT_TEXT} (429): the account is paused`, false, '429', { reason: 'rate_overlimit', until: null });
}
