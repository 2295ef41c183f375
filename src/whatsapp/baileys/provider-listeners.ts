import type { ProviderEvents } from '../whatsapp-provider';
import type { SocketLogger } from './socket-factory';

type AnyListener = (event: never) => unknown;

/**
 * The app's listeners on one connection. Delivery never throws back into Baileys' emitter (a listener's
 * error would otherwise stop the other listeners of that Baileys event), and a listener that returns a
 * promise has its rejection logged instead of left unhandled.
 */
export class ProviderListeners {
  private readonly byEvent = new Map<keyof ProviderEvents, Set<AnyListener>>();

  constructor(private readonly logger: SocketLogger) {}

  add<E extends keyof ProviderEvents>(event: E, listener: ProviderEvents[E]): void {
    const listeners = this.byEvent.get(event) ?? new Set<AnyListener>();
    listeners.add(listener as AnyListener);
    this.byEvent.set(event, listeners);
  }

  emit<E extends keyof ProviderEvents>(event: E, payload: Parameters<ProviderEvents[E]>[0]): void {
    for (const listener of this.byEvent.get(event) ?? []) {
      try {
        const result = (listener as (payload: Parameters<ProviderEvents[E]>[0]) => unknown)(payload);
        if (result instanceof Promise) result.catch((error: unknown) => this.report(event, error));
      } catch (error) {
        this.report(event, error);
      }
    }
  }

  clear(): void {
    this.byEvent.clear();
  }

  private report(event: string, error: unknown): void {
    this.logger.error({ err: error, event }, 'provider event listener failed');
  }
}
