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
 * Checks the promises of the outbox against what the simulated WhatsApp saw: every request was sent
 * under its one pre-generated id, every claim sent at most once, and an id WhatsApp accepted was never
 * accepted again unless `victim` (a worker killed mid-run) had sent it before it died.
 */
export function auditDeliveries(items: OutboxRow[], log: LogLine[], victim?: { workerId: string; killedAt: number }): string[] {
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
      const explained = victim && accepted.length === 2 && accepted.some((s) => s.workerId === victim.workerId && s.at <= victim.killedAt);
      if (!explained) problems.push(`${item.id}: accepted ${accepted.length} times (${accepted.map((s) => s.workerId).join(',')})`);
    }
  }
  return problems;
}
