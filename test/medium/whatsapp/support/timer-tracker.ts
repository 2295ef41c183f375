import { createHook } from 'node:async_hooks';

/**
 * Counts the timers created, while it tracks, by code whose stack passes through one of `paths`, and not yet
 * cleared or fired. Scoped this way because the test runner keeps timers of its own, which come and go
 * and would make a process-wide count (`process.getActiveResourcesInfo()`) flaky by one.
 */
export class TimerTracker {
  private readonly live = new Map<number, string>();
  private readonly hook = createHook({
    init: (asyncId, type) => {
      if (type !== 'Timeout') return;
      const stack = new Error().stack ?? '';
      if (this.paths.some((path) => stack.includes(path))) this.live.set(asyncId, stack);
    },
    destroy: (asyncId) => {
      this.live.delete(asyncId);
    },
  });

  constructor(private readonly paths: string[] = ['/src/whatsapp/']) {
    this.hook.enable();
  }

  /** Pending timers; Node reports a cleared timer's destruction asynchronously, so this waits a turn first. */
  async pending(): Promise<number> {
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    return this.live.size;
  }

  /** Where each pending timer was made, for a failing test's message. */
  async pendingStacks(): Promise<string[]> {
    await this.pending();
    return [...this.live.values()];
  }

  stop(): void {
    this.hook.disable();
  }
}
