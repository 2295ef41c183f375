import type { AccountLimit, PauseReason } from '../whatsapp/whatsapp-provider';

/** How long WhatsApp's limits pause an account when WhatsApp does not say (AppConfig.pauses). */
export interface PausePolicy {
  /** The first rate-overlimit pause; each repeat doubles the last one, up to `rateOverlimitMaxMs`. */
  rateOverlimitMs: number;
  rateOverlimitMaxMs: number;
  /** A reach-out lock without a known end. */
  reachOutLockMs: number;
}

/** The account's last pause, as its holder remembers it to tell a repeat. */
export interface PastPause {
  reason: PauseReason;
  ms: number;
  until: number;
}

/**
 * When a pause for `limit` ends. WhatsApp's own end wins (the lock's `timeEnforcementEnds`); else a
 * rate-overlimit within one pause length of the last one's end is a repeat and waits twice as long (the
 * last wait was too short), and any other waits the first length again; a lock waits its default.
 */
export function pauseFor(limit: AccountLimit, last: PastPause | undefined, now: number, policy: PausePolicy): PastPause {
  if (limit.until !== null && limit.until > now) return { reason: limit.reason, ms: limit.until - now, until: limit.until };
  if (limit.reason === 'reach_out_locked') return { reason: limit.reason, ms: policy.reachOutLockMs, until: now + policy.reachOutLockMs };
  const repeat = last?.reason === 'rate_overlimit' && now - last.until <= last.ms;
  const ms = repeat ? Math.min(last.ms * 2, policy.rateOverlimitMaxMs) : policy.rateOverlimitMs;
  return { reason: limit.reason, ms, until: now + ms };
}
