import type { SessionStore } from '../../../../src/whatsapp/whatsapp-provider';

/**
 * A `SessionStore` in memory. Each write applies its whole change set at once, after a random delay, so
 * concurrent writes overlap and finish out of order, as they would against a real store.
 */
export class MemorySessionStore implements SessionStore {
  readonly values = new Map<string, string>();

  constructor(private readonly maxDelayMs = 0) {}

  async read(keys: string[]): Promise<Map<string, string>> {
    await this.pause();
    const found = new Map<string, string>();
    for (const key of keys) {
      const value = this.values.get(key);
      if (value !== undefined) found.set(key, value);
    }
    return found;
  }

  async write(changes: Map<string, string | null>): Promise<void> {
    await this.pause();
    for (const [key, value] of changes) {
      if (value === null) this.values.delete(key);
      else this.values.set(key, value);
    }
  }

  async clear(): Promise<void> {
    this.values.clear();
  }

  private pause(): Promise<void> {
    if (this.maxDelayMs === 0) return Promise.resolve();
    return new Promise((resolve) => setTimeout(resolve, Math.random() * this.maxDelayMs));
  }
}
