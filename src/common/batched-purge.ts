/**
 * A purge of what retention let go, in short batches (each its own write, so sends and claims never wait
 * long behind it) until a batch comes back short; one run at a time however often it is asked for.
 */
export class BatchedPurge {
  private running: Promise<PurgeRun> | null = null;

  constructor(
    private readonly batch: number,
    private readonly purgeSome: (limit: number) => Promise<number>,
  ) {}

  /** How many went; a failure ends the run (the next one tries again) and is handed back with the count so far. */
  run(): Promise<PurgeRun> {
    this.running ??= this.all().finally(() => (this.running = null));
    return this.running;
  }

  private async all(): Promise<PurgeRun> {
    let deleted = 0;
    try {
      for (let last = this.batch; last === this.batch; deleted += last) last = await this.purgeSome(this.batch);
    } catch (error) {
      return { deleted, error };
    }
    return { deleted };
  }
}

export interface PurgeRun {
  deleted: number;
  error?: unknown;
}
