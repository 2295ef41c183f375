import { Test } from '@nestjs/testing';
import { describe, expect, it } from 'vitest';
import { AppConfig, loadAppConfig } from '../../../src/config/app-config';
import { Global, Module } from '@nestjs/common';
import { BaileysProvider } from '../../../src/whatsapp/baileys/baileys.provider';
import { ProviderEventDrops } from '../../../src/whatsapp/provider-event-drops';
import { SimulatorProvider } from '../../../src/whatsapp/simulator/simulator.provider';
import { WhatsAppSimulator } from '../../../src/whatsapp/simulator/whatsapp-simulator';
import { WhatsAppModule } from '../../../src/whatsapp/whatsapp.module';
import { WhatsAppProvider } from '../../../src/whatsapp/whatsapp-provider';

/** The app's root hands every module the config; so does this stand-in. */
function compile(config: AppConfig) {
  @Global()
  @Module({ providers: [{ provide: AppConfig, useValue: config }], exports: [AppConfig] })
  class ConfigRoot {}
  return Test.createTestingModule({ imports: [ConfigRoot, WhatsAppModule] }).compile();
}

describe('WhatsAppModule', () => {
  it('WA_PROVIDER=simulator provides the simulator provider and the hooks of the same simulator', async () => {
    const config = loadAppConfig({ WA_PROVIDER: 'simulator', WORKER_ID: 'worker-a', WA_SIMULATOR_REQUIRE_SCAN: 'true' });
    const module = await compile(config);
    const provider = module.get(WhatsAppProvider);
    expect(provider).toBeInstanceOf(SimulatorProvider);
    expect((provider as SimulatorProvider).simulator).toBe(module.get(WhatsAppSimulator));
    expect((provider as SimulatorProvider).drops).toBe(module.get(ProviderEventDrops));
    expect(module.get(WhatsAppSimulator).settings.requireScan).toBe(true);
    await module.close();
  });

  it('WA_PROVIDER=baileys (the default) provides the Baileys provider and no simulator', async () => {
    const config = loadAppConfig({ WORKER_ID: 'worker-a' });
    const module = await compile(config);
    expect(module.get(WhatsAppProvider)).toBeInstanceOf(BaileysProvider);
    expect(module.get(WhatsAppProvider).newMessageId()).toMatch(/^3EB0[0-9A-F]{18}$/);
    expect(module.get(WhatsAppSimulator)).toBeNull();
    await module.close();
  });
});
