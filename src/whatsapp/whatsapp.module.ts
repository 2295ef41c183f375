import { Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { MetricsModule } from '../metrics/metrics.module';
import { MetricsRecorder } from '../metrics/metrics-recorder';
import { BaileysProvider } from './baileys/baileys.provider';
import { ProviderEventBus } from './provider-event-bus';
import { ProviderEventDrops } from './provider-event-drops';
import { SimulatorProvider } from './simulator/simulator.provider';
import { WhatsAppSimulator } from './simulator/whatsapp-simulator';
import { WhatsAppProvider } from './whatsapp-provider';

/**
 * The WhatsApp engine behind the `WhatsAppProvider` port, chosen by `WA_PROVIDER`: `baileys` (real
 * sockets) or `simulator` (the same connection code over simulated sockets, plus `WhatsAppSimulator`, the
 * hooks behind the simulator routes; null with Baileys). `ProviderEventBus` carries what the sockets
 * hear to the features; `ProviderEventDrops` counts provider events dropped as invalid.
 */
@Module({
  imports: [MetricsModule],
  providers: [
    ProviderEventBus,
    { provide: ProviderEventDrops, inject: [MetricsRecorder], useFactory: (metrics: MetricsRecorder) => new ProviderEventDrops().countIn(metrics.registry) },
    {
      provide: WhatsAppSimulator,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => (config.provider === 'simulator' ? new WhatsAppSimulator({ ...config.simulator, workerId: config.workerId }) : null),
    },
    {
      provide: WhatsAppProvider,
      inject: [AppConfig, ProviderEventDrops, WhatsAppSimulator],
      useFactory: (config: AppConfig, drops: ProviderEventDrops, simulator: WhatsAppSimulator | null) =>
        config.provider === 'simulator' ? new SimulatorProvider(simulator!, { drops }) : new BaileysProvider({ drops, waWebVersion: config.waWebVersion }),
    },
  ],
  exports: [WhatsAppProvider, WhatsAppSimulator, ProviderEventBus, ProviderEventDrops],
})
export class WhatsAppModule {}
