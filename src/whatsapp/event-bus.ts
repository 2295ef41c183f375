/** Event name → the arguments its listeners get. */
export type EventArgs<M> = { [E in keyof M]: unknown[] };

type Listener<Args extends unknown[]> = (...args: Args) => unknown;

/**
 * Typed listeners by event. Publishing never throws back into the publisher (a listener's error would
 * otherwise stop the listeners after it, or reach Baileys' own emitter): a listener's throw, or the
 * rejection of the promise it returns, goes to `onListenerError` instead.
 */
export class EventBus<M extends EventArgs<M>> {
  private readonly byEvent = new Map<keyof M, Set<Listener<never>>>();

  constructor(private readonly onListenerError: (event: keyof M & string, args: unknown[], error: unknown) => void) {}

  on<E extends keyof M & string>(event: E, listener: Listener<M[E]>): void {
    const listeners = this.byEvent.get(event) ?? new Set();
    listeners.add(listener as Listener<never>);
    this.byEvent.set(event, listeners);
  }

  emit<E extends keyof M & string>(event: E, ...args: M[E]): void {
    for (const listener of this.byEvent.get(event) ?? []) {
      try {
        const result = (listener as Listener<M[E]>)(...args);
        if (result instanceof Promise) result.catch((error: unknown) => this.onListenerError(event, args, error));
      } catch (error) {
        this.onListenerError(event, args, error);
      }
    }
  }

  clear(): void {
    this.byEvent.clear();
  }
}
