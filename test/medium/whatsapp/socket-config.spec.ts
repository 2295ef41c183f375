import { PROCESSABLE_HISTORY_TYPES, initAuthCreds, proto } from '@whiskeysockets/baileys';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { ExpiringCache } from '../../../src/whatsapp/baileys/expiring-cache';
import { shouldSyncHistoryMessage, socketConfigFor } from '../../../src/whatsapp/baileys/socket-config';

const Sync = proto.Message.HistorySyncType;

describe('socket settings for a server holding many accounts', () => {
  it.each([
    ['INITIAL_BOOTSTRAP', Sync.INITIAL_BOOTSTRAP, true],
    ['NON_BLOCKING_DATA', Sync.NON_BLOCKING_DATA, true],
    ['PUSH_NAME', Sync.PUSH_NAME, true],
    ['RECENT', Sync.RECENT, false],
    ['FULL', Sync.FULL, false],
    ['ON_DEMAND', Sync.ON_DEMAND, false],
    ['INITIAL_STATUS_V3', Sync.INITIAL_STATUS_V3, false],
  ])('history sync %s is taken: %s', (_name, syncType, taken) => {
    expect(shouldSyncHistoryMessage({ syncType })).toBe(taken);
  });

  it('does not refuse every sync Baileys can process (which would cost the LID mappings)', () => {
    expect(PROCESSABLE_HISTORY_TYPES.some((syncType) => shouldSyncHistoryMessage({ syncType }))).toBe(true);
  });

  it('asks for no full history, stays offline for the phone, and uses the given caches and lookups', () => {
    const msgRetryCounterCache = new ExpiringCache(1000);
    const config = socketConfigFor({
      auth: { creds: initAuthCreds(), keys: { get: async () => ({}), set: async () => undefined } },
      logger: pino({ level: 'silent' }),
      waWebSocketUrl: 'ws://127.0.0.1:1/ws/chat',
      msgRetryCounterCache,
      getMessage: async () => undefined,
      cachedGroupMetadata: async () => undefined,
    });
    expect(config).toMatchObject({
      syncFullHistory: false,
      markOnlineOnConnect: false,
      emitOwnEvents: true,
      generateHighQualityLinkPreview: false,
      waWebSocketUrl: 'ws://127.0.0.1:1/ws/chat',
    });
    expect(config.msgRetryCounterCache).toBe(msgRetryCounterCache);
  });
});
