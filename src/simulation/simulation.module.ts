import { Module } from '@nestjs/common';
import { perStore } from '../store/store.module';
import { AccountsModule } from '../accounts/accounts.module';
import { MessagingModule } from '../messaging/messaging.module';
import { WhatsAppModule } from '../whatsapp/whatsapp.module';
import { SimulatorController } from './simulator.controller';

/**
 * The simulator's routes, registered only with WA_PROVIDER=simulator: provider events injected as
 * Baileys emits them, for development, tests and demos. Above the features: it reads accounts and
 * threads to check and complete what it injects.
 */
@Module({})
export class SimulationModule {
  static readonly forStore = perStore((store) => ({
    module: SimulationModule,
    imports: [WhatsAppModule, AccountsModule.forStore(store), MessagingModule.forStore(store)],
    controllers: [SimulatorController],
  }));
}
