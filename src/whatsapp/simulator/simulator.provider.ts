import pino from 'pino';
import { LOG_REDACTION } from '../../common/pino-logger';
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
      logger: pino({ level: options.logLevel ?? 'warn', base: { component: 'whatsapp-simulator' }, redact: LOG_REDACTION }),
      drops: options.drops,
    });
  }
}
