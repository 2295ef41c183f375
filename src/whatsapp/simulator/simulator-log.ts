import { appendFileSync } from 'node:fs';
import type { SentMediaLine } from './sent-media';

export type SimulatorLogLine =
  | { type: 'send'; accountId: string; to: string; waMessageId: string; text: string; media?: SentMediaLine; workerId: string; at: number; rejected?: boolean }
  | { type: 'connect' | 'disconnect'; accountId: string; workerId: string; at: number };

/** A line as callers give it; the log stamps the worker and the time. Distributes over the union. */
type Unstamped<Line> = Line extends unknown ? Omit<Line, 'workerId' | 'at'> : never;

/**
 * The simulator's audit trail (`WA_SIMULATOR_LOG`): one JSON line per provider-level event, `at` in epoch ms.
 * Each line is one `appendFileSync` (O_APPEND, one write), so several processes can share the file
 * without interleaving lines; that is what lets a test count sends across workers.
 */
export class SimulatorLog {
  constructor(
    private readonly path: string | undefined,
    private readonly workerId: string,
    private readonly now: () => number = Date.now,
  ) {}

  append(line: Unstamped<SimulatorLogLine>): void {
    if (!this.path) return;
    const full = { ...line, workerId: this.workerId, at: this.now() };
    appendFileSync(this.path, `${JSON.stringify(full)}\n`);
  }
}
