/**
 * Polls `check` until it stops throwing or returns true. Unlike `vi.waitFor`, nothing of it is left
 * pending once it returns, so tests can count the active timers around it.
 */
export async function waitUntil(check: () => unknown, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await check()) !== false) return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
