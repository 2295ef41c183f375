import pino from 'pino';
import { LOG_REDACTION } from '../../common/pino-logger';
import type { ProviderEventDrops } from '../provider-event-drops';
import { BaileysSocketFactory } from './socket-factory';
import { SocketWhatsAppProvider } from './socket-provider';

export interface BaileysProviderOptions {
  /** Baileys talks a lot at info; warn keeps a 100-account log readable. */
  logLevel?: 'warn' | 'error' | 'fatal' | 'silent';
  /** Tests point this at a local WebSocket server; unset is WhatsApp's own. */
  waWebSocketUrl?: string;
  /** `WA_WEB_VERSION`: the WhatsApp Web version every socket announces; unset: Baileys' own. */
  waWebVersion?: readonly [number, number, number] | null;
  drops?: ProviderEventDrops;
}

/** The real provider: Baileys' `makeWASocket` per account. */
export class BaileysProvider extends SocketWhatsAppProvider {
  constructor(options: BaileysProviderOptions = {}) {
    super(new BaileysSocketFactory(), {
      logger: pino({ level: options.logLevel ?? 'warn', base: { component: 'baileys' }, redact: LOG_REDACTION }),
      waWebSocketUrl: options.waWebSocketUrl,
      waWebVersion: options.waWebVersion ? [...options.waWebVersion] : undefined,
      drops: options.drops,
    });
  }
}
