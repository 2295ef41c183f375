import type { AddressInfo } from 'node:net';
import type { UserFacingSocketConfig } from '@whiskeysockets/baileys';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { BaileysSocketFactory, type ProviderSocket } from '../../../src/whatsapp/baileys/socket-factory';
import { SocketWhatsAppProvider } from '../../../src/whatsapp/baileys/socket-provider';
import { MESSAGE_ACK_FRAME } from '../../../src/whatsapp/baileys/socket-subscriptions';
import type { ConnectionEvent, ProviderConnection } from '../../../src/whatsapp/whatsapp-provider';
import { MemorySessionStore } from './support/memory-session-store';
import { TimerTracker } from './support/timer-tracker';
import { waitUntil } from './support/wait-until';

/** The real `makeWASocket`, with each socket kept so the test can look at its `ws` afterwards. */
class KeepingSocketFactory extends BaileysSocketFactory {
  readonly sockets: ProviderSocket[] = [];

  create(accountId: string, config: UserFacingSocketConfig): ProviderSocket {
    const socket = super.create(accountId, config);
    this.sockets.push(socket);
    return socket;
  }
}

/** A stand-in for WhatsApp's WebSocket endpoint on 127.0.0.1 that either drops each connection or holds it silently. */
let server: WebSocketServer;
let behaviour: 'drop' | 'hold' = 'drop';
let url: string;

beforeAll(async () => {
  server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  server.on('connection', (client: WebSocket) => {
    if (behaviour === 'drop') client.terminate();
  });
  await new Promise((resolve) => server.once('listening', resolve));
  url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/ws/chat`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

function provider(factory: KeepingSocketFactory): SocketWhatsAppProvider {
  return new SocketWhatsAppProvider(factory, { logger: pino({ level: 'silent' }), waWebSocketUrl: url });
}

function open(target: SocketWhatsAppProvider, accountId = 'acc1'): { connection: ProviderConnection; events: ConnectionEvent[] } {
  const connection = target.open({ accountId, session: new MemorySessionStore(), getMessageText: async () => undefined });
  const events: ConnectionEvent[] = [];
  connection.on('connection', (event) => events.push(event));
  return { connection, events };
}

function handleCounts(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const resource of process.getActiveResourcesInfo()) {
    if (resource !== 'Timeout') counts[resource] = (counts[resource] ?? 0) + 1;
  }
  return counts;
}

describe('the real Baileys socket against a local WebSocket server', () => {
  it('a connection the server drops closes with 428, connectionClosed, through our translation', async () => {
    behaviour = 'drop';
    const { events } = open(provider(new KeepingSocketFactory()));
    await waitUntil(() => expect(events.at(-1)?.type).toBe('close'));
    expect(events).toEqual([
      { type: 'connecting' },
      { type: 'close', reason: 'connectionClosed', statusCode: 428, message: 'Connection Terminated' },
    ]);
  });

  it('50 connections in a row leave no listener, timer or socket behind', async () => {
    behaviour = 'drop';
    const factory = new KeepingSocketFactory();
    const target = provider(factory);
    const handlesBefore = handleCounts();
    const timers = new TimerTracker(['/src/whatsapp/', '/@whiskeysockets/baileys/']);

    for (let round = 0; round < 50; round++) {
      const { events } = open(target, `acc${round}`);
      await waitUntil(() => expect(events.at(-1)).toMatchObject({ type: 'close', statusCode: 428 }));
      // Baileys' own handleBadAck listener stays on its dead socket; ours is gone.
      expect((factory.sockets[round].ws as unknown as WebSocket).listenerCount(MESSAGE_ACK_FRAME)).toBe(1);
    }

    await waitUntil(() => expect(server.clients.size).toBe(0));
    expect(factory.sockets).toHaveLength(50);
    expect(await timers.pending()).toBe(0);
    timers.stop();
    await waitUntil(() => expect(handleCounts()).toEqual(handlesBefore));
  });

  it('close() while the socket is still connecting ends it at the server and leaves nothing behind', async () => {
    behaviour = 'hold';
    const factory = new KeepingSocketFactory();
    const target = provider(factory);
    const handlesBefore = handleCounts();
    const timers = new TimerTracker(['/src/whatsapp/', '/@whiskeysockets/baileys/']);

    for (let round = 0; round < 10; round++) {
      const { connection, events } = open(target, 'acc1');
      await waitUntil(() => expect(server.clients.size).toBe(1));
      expect((factory.sockets[round].ws as unknown as WebSocket).listenerCount(MESSAGE_ACK_FRAME)).toBe(2);
      await connection.close();
      expect((factory.sockets[round].ws as unknown as WebSocket).listenerCount(MESSAGE_ACK_FRAME)).toBe(1);
      await waitUntil(() => expect(server.clients.size).toBe(0));
      // The app closed it: no close event, nothing after.
      expect(events).toEqual([{ type: 'connecting' }]);
    }

    expect(await timers.pending()).toBe(0);
    timers.stop();
    await waitUntil(() => expect(handleCounts()).toEqual(handlesBefore));
  });
});
