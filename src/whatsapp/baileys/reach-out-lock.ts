import type { ReachoutTimelockState } from '@whiskeysockets/baileys';
import type { ProviderSocket } from './socket-factory';

/** How long a 463's failure waits for WhatsApp to say when the lock ends, before it goes without. */
const LOCK_QUERY_MS = 5_000;

/** When the lock ends (epoch ms), as Baileys reports it; null when it is not active or has no end. */
export function lockEndOf(state: ReachoutTimelockState | undefined): number | null {
  if (!state?.isActive || !(state.timeEnforcementEnds instanceof Date)) return null;
  const end = state.timeEnforcementEnds.getTime();
  return Number.isFinite(end) ? end : null;
}

/**
 * The 463 ack names no end: the lock's state is asked of WhatsApp, as Baileys' own `handleBadAck` means
 * to (`fetchAccountReachoutTimelock`). Bounded, and null on any failure: the pause then takes its default.
 */
export async function askLockEnd(socket: ProviderSocket): Promise<number | null> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), LOCK_QUERY_MS);
  });
  try {
    return lockEndOf(await Promise.race([socket.fetchAccountReachoutTimelock(), timedOut]));
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
  }
}
