/** How far a phase has come: a bar on a terminal, plain lines in a log (CI, `| tee`, a container). */
export interface Progress {
  begin(phase: string, total: number): void;
  advance(by?: number): void;
  end(): void;
}

interface Bar {
  start(total: number, value: number, payload?: Record<string, unknown>): void;
  increment(by?: number): void;
  stop(): void;
}

// cli-progress ships no types; this is the part of its API used here.
interface CliProgress {
  SingleBar: new (options: Record<string, unknown>, preset: unknown) => Bar;
  Presets: { shades_classic: unknown };
}

export function progressOn(stream: NodeJS.WriteStream): Progress {
  return stream.isTTY ? new BarProgress(stream) : new LineProgress((line) => stream.write(`${line}\n`));
}

/** No output at all: tests and library callers that read the report instead. */
export const silentProgress: Progress = { begin: () => undefined, advance: () => undefined, end: () => undefined };

class BarProgress implements Progress {
  private bar?: Bar;

  constructor(private readonly stream: NodeJS.WriteStream) {}

  begin(phase: string, total: number): void {
    const cliProgress = require('cli-progress') as CliProgress;
    this.bar = new cliProgress.SingleBar({ format: `${phase.padEnd(8)} [{bar}] {value}/{total} {percentage}% eta {eta_formatted}`, stream: this.stream, hideCursor: true }, cliProgress.Presets.shades_classic);
    this.bar.start(total, 0);
  }

  advance(by = 1): void {
    this.bar?.increment(by);
  }

  end(): void {
    this.bar?.stop();
    this.bar = undefined;
  }
}

/** One line at the start, one per tenth of the way, one at the end: enough to see it move, not a flood. */
export class LineProgress implements Progress {
  private phase = '';
  private total = 0;
  private done = 0;
  private nextReport = 0;

  constructor(private readonly print: (line: string) => void) {}

  begin(phase: string, total: number): void {
    Object.assign(this, { phase, total, done: 0, nextReport: Math.max(1, Math.ceil(total / 10)) });
    this.print(`${phase}: 0/${total}`);
  }

  advance(by = 1): void {
    this.done += by;
    if (this.done >= this.nextReport && this.done < this.total) {
      this.print(`${this.phase}: ${this.done}/${this.total}`);
      while (this.nextReport <= this.done) this.nextReport += Math.max(1, Math.ceil(this.total / 10));
    }
  }

  end(): void {
    this.print(`${this.phase}: ${this.done}/${this.total} done`);
  }
}
