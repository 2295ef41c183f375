import { DynamicModule, Global, Module, Provider } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { BaileysProvider } from './baileys/baileys.provider';
import { ProviderEventDrops } from './provider-event-drops';
import { SimulatorProvider } from './simulator/simulator.provider';
import { SimulatorController } from './simulator/simulator.controller';
import { WhatsAppSimulator } from './simulator/whatsapp-simulator';
import { WhatsAppProvider } from './whatsapp-provider';

/**
 * The WhatsApp engine behind the `WhatsAppProvider` port, chosen by `WA_PROVIDER`: `baileys` (real
 * sockets) or `simulator` (the same connection code over simulated sockets, plus `WhatsAppSimulator`, the
 * hooks behind the simulator routes). `ProviderEventDrops` counts provider events dropped as invalid.
 * Global like the store module: one engine per process, used by accounts, messaging and the simulator routes.
 */
@Global()
@Module({})
export class WhatsAppModule {
  static forConfig(config: AppConfig): DynamicModule {
    const drops: Provider = { provide: ProviderEventDrops, useValue: new ProviderEventDrops() };
    const providers: Provider[] =
      config.provider === 'simulator'
        ? [
            drops,
            {
              provide: WhatsAppSimulator,
              useFactory: () => new WhatsAppSimulator({ ...config.simulator, workerId: config.workerId }),
            },
            {
              provide: WhatsAppProvider,
              inject: [WhatsAppSimulator, ProviderEventDrops],
              useFactory: (simulator: WhatsAppSimulator, eventDrops: ProviderEventDrops) => new SimulatorProvider(simulator, { drops: eventDrops }),
            },
          ]
        : [
            drops,
            {
              provide: WhatsAppProvider,
              inject: [ProviderEventDrops],
              useFactory: (eventDrops: ProviderEventDrops) => new BaileysProvider({ drops: eventDrops }),
            },
          ];
    return {
      module: WhatsAppModule,
      // The simulator's routes exist only when the simulator runs.
      controllers: config.provider === 'simulator' ? [SimulatorController] : [],
      providers,
      exports: config.provider === 'simulator' ? [WhatsAppProvider, WhatsAppSimulator, ProviderEventDrops] : [WhatsAppProvider, ProviderEventDrops],
    };
  }
}
