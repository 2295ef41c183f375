/** A receiver's Retry-After is honoured up to an hour: longer would park its deliveries for days. */
export const MAX_RETRY_AFTER_MS = 60 * 60 * 1000;

/**
 * `Retry-After` as milliseconds from `now`: delay-seconds (`120`) or an HTTP-date; a date in the past
 * is 0, anything else (absent, negative, malformed) is undefined. Capped at an hour.
 */
export function retryAfterMs(header: string | string[] | undefined, now: number): number | undefined {
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  if (!value) return undefined;
  let ms: number;
  if (/^\d+$/.test(value)) ms = Number(value) * 1000;
  else {
    const at = Date.parse(value);
    // An HTTP-date starts with its weekday; Date.parse alone would take "-5" or "1.5" as dates.
    if (Number.isNaN(at) || !/^[A-Za-z]{3}/.test(value)) return undefined;
    ms = Math.max(0, at - now);
  }
  return Math.min(ms, MAX_RETRY_AFTER_MS);
}
