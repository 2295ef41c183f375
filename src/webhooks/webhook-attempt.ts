import { OutboundClient, OutboundFailed, OutboundRefused } from '../outbound/outbound-client';
import { retryAfterMs } from './retry-after';
import { WebhookEndpoint, signingSecrets } from './webhook-endpoint';
import { signatureHeaders } from './webhook-signature';

/** Answers are read this far and dropped: a receiver's long answer costs us nothing more. */
export const MAX_ANSWER_BYTES = 64 * 1024;

/** One attempt's outcome: the HTTP status, or why there was none; `retryAfterMs` when the answer said so. */
export interface AttemptOutcome {
  status?: number;
  error?: string;
  ms: number;
  retryAfterMs?: number;
}

/**
 * One delivery attempt of a serialized body (`{"type","timestamp","data"}`) to an endpoint: a POST,
 * signed afresh, to the address the rules checked, following no redirect (a 3xx is the answer). Never
 * throws: a refused address, a timeout or a broken connection is the outcome's `error`. The test route
 * and the delivery worker both attempt through here; what an outcome means (retry, disable) is theirs.
 */
export async function attemptDelivery(
  client: OutboundClient,
  endpoint: WebhookEndpoint,
  eventId: string,
  body: string,
  timeoutMs: number,
  now = Date.now(),
): Promise<AttemptOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const headers = { 'content-type': 'application/json', ...signatureHeaders(eventId, now, body, signingSecrets(endpoint.secrets, now)) };
  try {
    const answer = await client.request({ url: endpoint.url, method: 'POST', headers, body, timeoutMs, maxRedirects: 0, maxBodyBytes: MAX_ANSWER_BYTES });
    const retryAfter = retryAfterMs(answer.headers['retry-after'], Date.now());
    return { status: answer.status, ms: elapsed(), ...(retryAfter === undefined ? {} : { retryAfterMs: retryAfter }) };
  } catch (error) {
    if (error instanceof OutboundRefused) return { error: `refused: ${error.reason}`, ms: elapsed() };
    if (error instanceof OutboundFailed) return { error: error.message, ms: elapsed() };
    return { error: `request failed: ${(error as Error).message}`, ms: elapsed() };
  }
}
