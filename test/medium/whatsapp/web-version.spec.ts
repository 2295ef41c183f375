import { EventEmitter } from 'node:events';
import { Test } from '@nestjs/testing';
import { Global, Module } from '@nestjs/common';
import type { UserFacingSocketConfig } from '@whiskeysockets/baileys';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppConfig, loadAppConfig } from '../../../src/config/app-config';
import { WhatsAppModule } from '../../../src/whatsapp/whatsapp.module';
import { WhatsAppProvider } from '../../../src/whatsapp/whatsapp-provider';
import { MemorySessionStore } from './support/memory-session-store';
import { waitUntil } from './support/wait-until';

/** What Baileys' own `makeWASocket` is called with: the boundary of the Baileys adapter. */
const made = vi.hoisted(() => ({ configs: [] as UserFacingSocketConfig[] }));

vi.mock('@whiskeysockets/baileys', async (importOriginal) => {
  const baileys = await importOriginal<typeof import('@whiskeysockets/baileys')>();
  return {
    ...baileys,
    makeWASocket: (config: UserFacingSocketConfig) => {
      made.configs.push(config);
      // Enough of a socket to be subscribed to and ended; it never connects.
      const ws = Object.assign(new EventEmitter(), { isClosed: true, isClosing: false, close: async () => undefined });
      return { ev: new EventEmitter(), ws, user: undefined, end: async () => undefined };
    },
  };
});

async function socketConfigWith(env: Record<string, string>): Promise<UserFacingSocketConfig> {
  const config = loadAppConfig({ SQLITE_PATH: '/tmp/x.db', WORKER_ID: 'worker-a', ...env });
  @Global()
  @Module({ providers: [{ provide: AppConfig, useValue: config }], exports: [AppConfig] })
  class ConfigRoot {}
  const module = await Test.createTestingModule({ imports: [ConfigRoot, WhatsAppModule] }).compile();
  const connection = module.get(WhatsAppProvider).open({ accountId: 'acc1', session: new MemorySessionStore(), getMessageText: async () => undefined });
  await waitUntil(() => expect(made.configs).toHaveLength(1));
  await connection.close();
  await module.close();
  return made.configs[0];
}

describe('WA_WEB_VERSION: the WhatsApp Web version Baileys announces', () => {
  afterEach(() => {
    made.configs.length = 0;
  });

  it('is the version every real socket is made with', async () => {
    expect((await socketConfigWith({ WA_WEB_VERSION: '2.3000.1023223821' })).version).toEqual([2, 3000, 1023223821]);
  });

  it('unset, the socket gets no version of ours: Baileys announces the one it ships with', async () => {
    expect(await socketConfigWith({})).not.toHaveProperty('version');
  });
});
