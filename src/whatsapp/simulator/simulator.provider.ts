import pino from 'pino';
import { SocketWhatsAppProvider } from '../baileys/socket-provider';
import type { ProviderEventDrops } from '../provider-event-drops';
import type { WhatsAppSimulator } from './whatsapp-simulator';

/**
 * `WA_PROVIDER=simulator`: the same connection and translation code as the Baileys provider, over the
 * simulator's sockets instead of `makeWASocket`.
 */
export class SimulatorProvider extends SocketWhatsAppProvider {
  constructor(
    readonly simulator: WhatsAppSimulator,
    options: { drops?: ProviderEventDrops; logLevel?: 'warn' | 'error' | 'silent' } = {},
  ) {
    super(simulator, {
      logger: pino({ level: options.logLevel ?? 'warn', base: { component: 'whatsapp-simulator' } }),
      drops: options.drops,
    });
  }
}
