// One autocannon run against POST /api/whatsapp/send-message, each request a new send: its own random
// request id, round-robin over the accounts, each cycling through 500 recipients (so accounts x 500 threads).
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';

const SEND_PATH = '/api/whatsapp/send-message';
const RECIPIENTS = 500;

/**
 * Runs until `amount` answers have arrived (not for a duration): autocannon stops a timed run by
 * destroying its sockets, and the sends then in flight would be committed without their 202 being
 * counted, so the outbox could not be compared with the answers one for one.
 */
export async function sendLoad({ port, apiKey, accounts, connections, amount, runTag }) {
  let next = 0;
  const accepted = new Map(); // requestId -> messageId, from each 202 body
  // Timed from the first request built to the last answer, not by autocannon, which notices the end
  // of an `amount` run only at its next sample tick.
  let firstRequestAt;
  let lastAnswerAt;
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections,
    amount,
    timeout: 30,
    // autocannon notices the end of an `amount` run at its next sample tick; 100 ms instead of 1 s.
    sampleInt: 100,
    headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
    requests: [
      {
        method: 'POST',
        path: SEND_PATH,
        setupRequest(request) {
          firstRequestAt ??= process.hrtime.bigint();
          const n = next++;
          const body = {
            accountId: accounts[n % accounts.length],
            to: `40712${String(Math.floor(n / accounts.length) % RECIPIENTS).padStart(6, '0')}`,
            message: `Benchmark message ${n}: your order is ready for pickup.`,
            // Random, as clients' idempotency keys are: the outbox key is then a random B-tree insert.
            requestId: `${randomUUID()}:${runTag}-${n}`,
          };
          return { ...request, body: JSON.stringify(body) };
        },
        onResponse(status, body) {
          lastAnswerAt = process.hrtime.bigint();
          if (status !== 202) return;
          const answer = JSON.parse(body);
          accepted.set(answer.requestId, answer.messageId);
        },
      },
    ],
  });
  const elapsedMs = Number(lastAnswerAt - firstRequestAt) / 1e6;
  return {
    requests: result.requests.total,
    elapsedMs,
    requestsPerSecond: (result.requests.total / elapsedMs) * 1000,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    statusCounts: Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, count])),
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    accepted,
  };
}

/**
 * Short runs until `seconds` have passed, so V8 has optimised the hot paths (the bare endpoint needs
 * ~15 000 requests to reach its speed); returns their answers together and a recent rate, which sizes
 * the measured run.
 */
export async function warmUp(load, seconds) {
  const total = { requests: 0, statusCounts: {}, non2xx: 0, errors: 0, timeouts: 0, accepted: new Map(), rates: [] };
  const startedAt = Date.now();
  for (let chunk = 0; chunk === 0 || Date.now() - startedAt < seconds * 1000; chunk++) {
    const amount = chunk === 0 ? load.connections * 20 : Math.max(load.connections * 10, Math.round(total.rates.at(-1)));
    const run = await sendLoad({ ...load, amount, runTag: `${load.runTag}${chunk}` });
    total.requests += run.requests;
    total.non2xx += run.non2xx;
    total.errors += run.errors;
    total.timeouts += run.timeouts;
    for (const [code, count] of Object.entries(run.statusCounts)) total.statusCounts[code] = (total.statusCounts[code] ?? 0) + count;
    for (const [requestId, messageId] of run.accepted) total.accepted.set(requestId, messageId);
    total.rates.push(run.requestsPerSecond);
  }
  // The median of the last three runs: one run on a busy machine can be far off.
  const recent = total.rates.slice(-3).sort((a, b) => a - b);
  return { ...total, requestsPerSecond: recent[Math.floor(recent.length / 2)] };
}

/** Problems with a run as sentences; empty when every request was answered 202. */
export function answerProblems(name, run) {
  const problems = [];
  const accepted = run.statusCounts['202'] ?? 0;
  if (run.non2xx > 0) problems.push(`${name}: ${run.non2xx} non-2xx answers ${JSON.stringify(run.statusCounts)}`);
  if (run.errors > 0) problems.push(`${name}: ${run.errors} connection errors (${run.timeouts} timeouts)`);
  if (accepted !== run.requests) problems.push(`${name}: ${accepted} answers were 202 out of ${run.requests} ${JSON.stringify(run.statusCounts)}`);
  if (run.accepted.size !== accepted) problems.push(`${name}: ${accepted} 202 answers but ${run.accepted.size} distinct request ids`);
  return problems;
}
