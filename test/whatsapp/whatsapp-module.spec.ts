import { Global, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { describe, expect, it } from 'vitest';
import { loadAppConfig } from '../../src/config/app-config';
import { AccountRepository } from '../../src/accounts/account.repository';
import { ThreadRepository } from '../../src/messaging/thread.repository';
import { BaileysProvider } from '../../src/whatsapp/baileys/baileys.provider';
import { ProviderEventDrops } from '../../src/whatsapp/provider-event-drops';
import { SimulatorProvider } from '../../src/whatsapp/simulator/simulator.provider';
import { WhatsAppSimulator } from '../../src/whatsapp/simulator/whatsapp-simulator';
import { WhatsAppModule } from '../../src/whatsapp/whatsapp.module';
import { WhatsAppProvider } from '../../src/whatsapp/whatsapp-provider';

const ports = [
  { provide: AccountRepository, useValue: {} },
  { provide: ThreadRepository, useValue: {} },
];

@Global()
@Module({ providers: ports, exports: ports.map((p) => p.provide) })
class StorePortsStandIn {}

describe('WhatsAppModule', () => {
  it('WA_PROVIDER=simulator provides the simulator provider and the hooks of the same simulator', async () => {
    const config = loadAppConfig({ WA_PROVIDER: 'simulator', WORKER_ID: 'worker-a', WA_SIMULATOR_REQUIRE_SCAN: 'true' });
    // The simulator's routes read accounts and threads, which the app provides globally.
    const module = await Test.createTestingModule({ imports: [StorePortsStandIn, WhatsAppModule.forConfig(config)] }).compile();
    const provider = module.get(WhatsAppProvider);
    expect(provider).toBeInstanceOf(SimulatorProvider);
    expect((provider as SimulatorProvider).simulator).toBe(module.get(WhatsAppSimulator));
    expect((provider as SimulatorProvider).drops).toBe(module.get(ProviderEventDrops));
    expect(module.get(WhatsAppSimulator).settings.requireScan).toBe(true);
    await module.close();
  });

  it('WA_PROVIDER=baileys (the default) provides the Baileys provider and no simulator', async () => {
    const config = loadAppConfig({ WORKER_ID: 'worker-a' });
    const module = await Test.createTestingModule({ imports: [WhatsAppModule.forConfig(config)] }).compile();
    expect(module.get(WhatsAppProvider)).toBeInstanceOf(BaileysProvider);
    expect(module.get(WhatsAppProvider).newMessageId()).toMatch(/^3EB0[0-9A-F]{18}$/);
    expect(() => module.get(WhatsAppSimulator)).toThrow();
    await module.close();
  });
});
