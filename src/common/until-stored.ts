import { BackoffPolicy, backoffDelay } from './backoff';

/** Short first waits: a contended transaction often lands on the next try; an outage gets the longer ones. */
export const STORE_RETRY_BACKOFF: BackoffPolicy = { baseMs: 200, maxMs: 2_000 };

/**
 * Runs `write` until it lands: after a store error (unreachable, a contended transaction aborted) again,
 * after a growing wait, for as long as `worthIt()` holds; then the last error is thrown. For the writes
 * that record what already happened outside the store (a send WhatsApp took): given up at once, the
 * record would be left to a lease running out, and the work done again.
 */
export async function untilStored<T>(write: () => Promise<T>, worthIt: () => boolean, onRetry: (error: unknown) => void = () => undefined): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      const wait = backoffDelay(attempt, STORE_RETRY_BACKOFF);
      if (!worthIt()) throw error;
      onRetry(error);
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}
