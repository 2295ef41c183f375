// Sends at a fixed rate (open loop), not as fast as the server answers: the latency a steady 500/s
// sees. autocannon's `overallRate` sends each second's quota in a burst at the start of the second,
// which would measure bursts; this schedules request n at start + n/rate and never waits for answers.
import http from 'node:http';
import { performance } from 'node:perf_hooks';

/**
 * POST /api/whatsapp/send-message `rate` times a second for `seconds`, round-robin over `ports`, each
 * request a new send (request id `{tag}-{n}`) spread over the accounts and `recipients` recipients.
 * Resolves once every answer is in, with the answers by status and the accept latency of each 202.
 */
export function pacedSends({ ports, apiKey, accountIds, recipients, rate, seconds, tag }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const total = Math.round(rate * seconds);
  const statusCounts = {};
  const acceptMs = [];
  let issued = 0;
  let answered = 0;
  let maxLagMs = 0;
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const finishIfDone = () => {
      if (answered < total) return;
      agent.destroy();
      const elapsedMs = performance.now() - start;
      resolve({ total, statusCounts, acceptMs, elapsedMs, issueRate: (total / elapsedMs) * 1000, maxLagMs });
    };
    const issue = (n) => {
      const body = JSON.stringify({
        accountId: accountIds[n % accountIds.length],
        to: `40713${String(n % recipients).padStart(6, '0')}`,
        message: `Steady message ${n}: your order is ready for pickup.`,
        requestId: `${tag}-${n}`,
      });
      const sentAt = performance.now();
      const request = http.request(
        {
          host: '127.0.0.1',
          port: ports[n % ports.length],
          path: '/api/whatsapp/send-message',
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-api-key': apiKey },
        },
        (response) => {
          response.resume();
          response.on('end', () => {
            statusCounts[response.statusCode] = (statusCounts[response.statusCode] ?? 0) + 1;
            if (response.statusCode === 202) acceptMs.push(performance.now() - sentAt);
            answered += 1;
            finishIfDone();
          });
        },
      );
      request.on('error', (error) => {
        agent.destroy();
        reject(error);
      });
      request.end(body);
    };
    const tick = () => {
      const now = performance.now();
      const due = Math.min(total, Math.floor(((now - start) / 1000) * rate) + 1);
      // How late the loop issues a request it should have issued already (a busy bench process shows here).
      if (due - issued > 1) maxLagMs = Math.max(maxLagMs, ((due - issued - 1) / rate) * 1000);
      while (issued < due) issue(issued++);
      if (issued < total) setTimeout(tick, 1);
    };
    tick();
  });
}
