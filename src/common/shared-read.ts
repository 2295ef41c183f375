import { Clock } from './clock';

/**
 * `read`, called at most once per `everyMs`: every call within that time, concurrent ones included, gets
 * the same answer (a failure too, so a store that does not answer is not asked again and again).
 */
export function sharedRead<T>(read: () => Promise<T>, everyMs: number, clock: Clock): () => Promise<T> {
  let last: { at: number; answer: Promise<T> } | null = null;
  return () => {
    const now = clock.now();
    if (last === null || now - last.at >= everyMs) last = { at: now, answer: read() };
    return last.answer;
  };
}
