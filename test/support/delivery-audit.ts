import { LogLine } from './simulator-log';

export interface OutboxRow {
  id: string;
  request_id: string;
  text: string;
  wa_message_id: string;
  status: string;
  attempts: number;
}

type SendLine = Extract<LogLine, { type: 'send' }> & { rejected?: boolean };

/**
 * A worker killed mid-run: signalled at `signalledAt`, gone (its exit seen) at `exitedAt`. A send it logs
 * in between is still its own; only a send by another worker after the signal can be the resend of its claim.
 */
export interface KilledWorker {
  workerId: string;
  signalledAt: number;
  exitedAt: number;
}

/** Kills the worker with SIGKILL and says when, as the audit needs it. */
export async function killWorker(workerId: string, worker: { stop(signal: NodeJS.Signals): Promise<unknown> }): Promise<KilledWorker> {
  const signalledAt = Date.now();
  await worker.stop('SIGKILL');
  return { workerId, signalledAt, exitedAt: Date.now() };
}

/**
 * Checks the promises of the outbox against what the simulated WhatsApp saw: every request was sent
 * under its one pre-generated id, every claim sent at most once, and an id WhatsApp accepted was never
 * accepted again unless `victim` had sent it before it died and another worker sent it after.
 */
export function auditDeliveries(items: OutboxRow[], log: LogLine[], victim?: KilledWorker): string[] {
  const problems: string[] = [];
  const sends = log.filter((line): line is SendLine => line.type === 'send');
  const byText = new Map<string, SendLine[]>();
  for (const send of sends) byText.set(send.text, [...(byText.get(send.text) ?? []), send]);
  for (const item of items) {
    const seen = byText.get(item.text) ?? [];
    const ids = new Set(seen.map((s) => s.waMessageId));
    if (ids.size > 1) problems.push(`${item.id}: sent under ${ids.size} WhatsApp ids`);
    if (seen.length > 0 && !ids.has(item.wa_message_id)) problems.push(`${item.id}: sent under an id that is not its own`);
    if (seen.length > item.attempts) problems.push(`${item.id}: ${seen.length} sends for ${item.attempts} claims`);
    const accepted = seen.filter((s) => !s.rejected);
    if (accepted.length > 1) {
      const [first, second] = [...accepted].sort((a, b) => a.at - b.at);
      const explained =
        victim &&
        accepted.length === 2 &&
        first.workerId === victim.workerId &&
        first.at <= victim.exitedAt &&
        second.workerId !== victim.workerId &&
        second.at >= victim.signalledAt;
      if (!explained) {
        const when = accepted.map((s) => `${s.workerId} at ${victim ? `${s.at - victim.signalledAt} ms after the kill` : s.at}`);
        problems.push(`${item.id}: accepted ${accepted.length} times (${when.join(', ')})`);
      }
    }
  }
  return problems;
}
