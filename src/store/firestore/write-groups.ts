/**
 * Group commit for Firestore: changes added for one key while a commit for that key is in flight wait,
 * then go together in the next commit, in the order they were added. Keys commit side by side.
 *
 * Why: many small writes to one parent (a Baileys session writes keys in bursts of dozens) would each be
 * a transaction contending for the same documents; one commit per burst is fewer operations, and a
 * commit per key at a time keeps a later value of a key from being overtaken by an earlier one.
 */
export class WriteGroups<T> {
  private readonly pending = new Map<string, Array<{ change: T; settle: (error?: unknown) => void }>>();

  constructor(private readonly commit: (key: string, changes: T[]) => Promise<void>) {}

  add(key: string, change: T): Promise<void> {
    return new Promise((resolve, reject) => {
      const settle = (error?: unknown) => (error === undefined ? resolve() : reject(error));
      const queue = this.pending.get(key);
      if (queue) {
        queue.push({ change, settle });
        return;
      }
      this.pending.set(key, [{ change, settle }]);
      void this.drain(key);
    });
  }

  private async drain(key: string): Promise<void> {
    // Let the rest of this turn's writes join the first commit.
    await new Promise((resolve) => setImmediate(resolve));
    for (;;) {
      const group = this.pending.get(key)!;
      this.pending.set(key, []);
      let failure: unknown;
      try {
        await this.commit(key, group.map((entry) => entry.change));
      } catch (error) {
        failure = error ?? new Error('commit failed');
      }
      for (const entry of group) entry.settle(failure);
      if (this.pending.get(key)!.length === 0) {
        this.pending.delete(key);
        return;
      }
    }
  }
}
