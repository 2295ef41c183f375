import { existsSync, readFileSync } from 'node:fs';

export type LogLine =
  | { type: 'send'; accountId: string; to: string; waMessageId: string; text: string; workerId: string; at: number }
  | { type: 'connect' | 'disconnect'; accountId: string; workerId: string; at: number };

/**
 * The lines whose newline is written. Another process can be mid-append while this reads (a reader does
 * not wait for a writer's one write to finish), so what follows the last newline is left for the next read.
 */
export function readSimulatorLog(path: string): LogLine[] {
  if (!existsSync(path)) return [];
  const text = readFileSync(path, 'utf8');
  return text
    .slice(0, text.lastIndexOf('\n') + 1)
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as LogLine);
}

/**
 * Per account, the moments two sockets were open at once, from the connect/disconnect lines. A worker
 * killed with SIGKILL writes no disconnect: its sockets count as closed at `killedAt[workerId]`.
 */
export function overlappingSockets(lines: LogLine[], killedAt: Record<string, number> = {}): string[] {
  const problems: string[] = [];
  const open = new Map<string, Map<string, number>>();
  for (const line of [...lines].sort((a, b) => a.at - b.at)) {
    if (line.type === 'send') continue;
    const sockets = open.get(line.accountId) ?? new Map<string, number>();
    open.set(line.accountId, sockets);
    for (const worker of [...sockets.keys()]) if (killedAt[worker] !== undefined && killedAt[worker] <= line.at) sockets.delete(worker);
    if (line.type === 'connect') {
      const others = [...sockets.keys()];
      if (others.length > 0) problems.push(`${line.accountId}: ${line.workerId} connected at ${line.at} while ${others.join(',')} had a socket open`);
      sockets.set(line.workerId, line.at);
    } else {
      sockets.delete(line.workerId);
    }
  }
  return problems;
}
