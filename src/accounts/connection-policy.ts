import { BackoffPolicy, backoffDelay } from '../common/backoff';
import { DisconnectKind } from '../whatsapp/whatsapp-provider';

export type Reaction =
  /** Open a new socket after `delayMs` (0: at once). */
  | { kind: 'reconnect'; delayMs: number }
  /** WhatsApp unlinked the device: clear the session, fail waiting sends, wait for an operator. */
  | { kind: 'logged-out' }
  /** Another device or instance holds the connection: do not fight; wait for an operator or a restart. */
  | { kind: 'stop' };

export const RECONNECT_BACKOFF: BackoffPolicy = { baseMs: 1_000, maxMs: 60_000 };

/** What to do after a socket closes, by Baileys' DisconnectReason, on the `attempt`-th close in a row. */
export function reactionTo(reason: DisconnectKind, attempt: number, random: () => number = Math.random): Reaction {
  switch (reason) {
    case 'restartRequired':
      // Sent right after a QR scan or pairing: the new creds need a fresh socket, at once.
      return { kind: 'reconnect', delayMs: 0 };
    case 'loggedOut':
      return { kind: 'logged-out' };
    case 'connectionReplaced':
      return { kind: 'stop' };
    default:
      return { kind: 'reconnect', delayMs: backoffDelay(attempt, RECONNECT_BACKOFF, random) };
  }
}
