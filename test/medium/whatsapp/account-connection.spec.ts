import { proto, type BinaryNode } from '@whiskeysockets/baileys';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { CREDS_KEY } from '../../../src/whatsapp/baileys/session-auth-state';
import { SocketWhatsAppProvider } from '../../../src/whatsapp/baileys/socket-provider';
import { MESSAGE_ACK_FRAME } from '../../../src/whatsapp/baileys/socket-subscriptions';
import { boomError } from '../../../src/whatsapp/simulator/simulated-events';
import { SendFailure, type ConnectionEvent, type ProviderMessage } from '../../../src/whatsapp/whatsapp-provider';
import { MemorySessionStore } from './support/memory-session-store';
import { StandInSocketFactory } from './support/stand-in-socket';
import { TimerTracker } from './support/timer-tracker';
import { waitUntil } from './support/wait-until';

const TO = '40711111111@s.whatsapp.net';
const ID = '3EB0AABBCCDDEEFF001122';

function ack(id: string, error?: string): BinaryNode {
  return { tag: 'ack', attrs: { class: 'message', id, from: TO, t: '1760000000', ...(error ? { error } : {}) } };
}

async function connected(options: { ownTexts?: Map<string, string> } = {}) {
  const factory = new StandInSocketFactory();
  const provider = new SocketWhatsAppProvider(factory, { logger: pino({ level: 'silent' }) });
  const session = new MemorySessionStore();
  const asked: string[] = [];
  const connection = provider.open({
    accountId: 'acc1',
    session,
    getMessageText: async (chatJid, waMessageId) => {
      asked.push(`${chatJid}/${waMessageId}`);
      return options.ownTexts?.get(`${chatJid}/${waMessageId}`);
    },
  });
  const events: ConnectionEvent[] = [];
  const messages: ProviderMessage[] = [];
  connection.on('connection', (event) => events.push(event));
  connection.on('message', (message) => messages.push(message));
  await waitUntil(() => expect(factory.sockets).toHaveLength(1));
  const socket = factory.latest;
  socket.emitEvent('connection.update', { connection: 'open' });
  return { provider, factory, socket, connection, session, events, messages, asked };
}

describe('AccountConnection over a socket stand-in', () => {
  it('send resolves only when the server ack frame for its id arrives', async () => {
    const { socket, connection } = await connected();
    let settled = false;
    const sent = connection.send(TO, { text: 'hello' }, ID, 5_000).then(() => (settled = true));
    await waitUntil(() => expect(socket.written).toEqual([{ jid: TO, text: 'hello', messageId: ID }]));
    socket.ws.emit(MESSAGE_ACK_FRAME, ack('3EB0FFFFFFFFFFFFFFFFFF'));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(settled).toBe(false);
    socket.ws.emit(MESSAGE_ACK_FRAME, ack(ID));
    await sent;
    expect(settled).toBe(true);
  });

  it.each([
    ['403', true],
    ['404', true],
    ['463', false],
    ['429', false],
    ['479', false],
    ['500', false],
    ['999', false],
  ])('an ack with error %s rejects with SendFailure (permanent: %s)', async (code, permanent) => {
    const { socket, connection } = await connected();
    const sent = connection.send(TO, { text: 'hello' }, ID, 5_000);
    socket.ws.emit(MESSAGE_ACK_FRAME, ack(ID, code));
    const failure = await sent.catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(SendFailure);
    expect(failure).toMatchObject({ permanent, code });
  });

  it.each([
    ['429', 'rate_overlimit'],
    ['463', 'reach_out_locked'],
  ])('an ack with error %s fails with a limit on the account (%s), not on the message', async (code, reason) => {
    const { socket, connection } = await connected();
    const sent = connection.send(TO, { text: 'hello' }, ID, 5_000);
    socket.ws.emit(MESSAGE_ACK_FRAME, ack(ID, code));
    expect(await sent.catch((error: unknown) => error)).toMatchObject({ permanent: false, code, limit: { reason, until: null } });
  });

  it("a 463 carries the lock's end when WhatsApp reports one (fetchAccountReachoutTimelock)", async () => {
    const { socket, connection } = await connected();
    const ends = new Date(Date.now() + 90 * 60_000);
    socket.reachOutLock = { isActive: true, timeEnforcementEnds: ends };
    const sent = connection.send(TO, { text: 'hello' }, ID, 5_000);
    socket.ws.emit(MESSAGE_ACK_FRAME, ack(ID, '463'));
    expect(await sent.catch((error: unknown) => error)).toMatchObject({ limit: { reason: 'reach_out_locked', until: ends.getTime() } });
  });

  it("sendMessage's own query answered rate-overlimit (Boom with data 429) is the rate limit", async () => {
    const { socket, connection } = await connected();
    socket.failNextSend = Object.assign(boomError(500, 'rate-overlimit'), { data: 429 });
    await expect(connection.send(TO, { text: 'x' }, ID, 5_000)).rejects.toMatchObject({ permanent: false, code: '429', limit: { reason: 'rate_overlimit', until: null } });
  });

  it('no ack within the timeout is a transient failure, and leaves no timer', async () => {
    const { connection } = await connected();
    const timers = new TimerTracker();
    const failure = await connection.send(TO, { text: 'hello' }, ID, 30).catch((error: unknown) => error);
    expect(failure).toMatchObject({ permanent: false, code: 'ack_timeout' });
    expect(await timers.pending()).toBe(0);
    timers.stop();
  });

  it('a send the socket could not write is transient; one before open is refused as not connected', async () => {
    const { socket, connection } = await connected();
    socket.failNextSend = boomError(428, 'Connection Closed');
    await expect(connection.send(TO, { text: 'x' }, ID, 5_000)).rejects.toMatchObject({ permanent: false, code: '428' });

    const fresh = new SocketWhatsAppProvider(new StandInSocketFactory(), { logger: pino({ level: 'silent' }) });
    const notOpen = fresh.open({ accountId: 'acc2', session: new MemorySessionStore(), getMessageText: async () => undefined });
    await expect(notOpen.send(TO, { text: 'x' }, ID, 5_000)).rejects.toMatchObject({ permanent: false, code: 'not_connected' });
    await notOpen.close();
  });

  it('a second send of an id in flight joins the first: one frame on the wire', async () => {
    const { socket, connection } = await connected();
    const first = connection.send(TO, { text: 'hello' }, ID, 5_000);
    const second = connection.send(TO, { text: 'hello' }, ID, 5_000);
    await waitUntil(() => expect(socket.written).toHaveLength(1));
    socket.ws.emit(MESSAGE_ACK_FRAME, ack(ID));
    await expect(Promise.all([first, second])).resolves.toEqual([undefined, undefined]);
    expect(socket.written).toHaveLength(1);
  });

  it("an earlier attempt's late failure leaves the next attempt of the same id alone, and the two never write at once", async () => {
    const { socket, connection } = await connected();
    const hung = socket.holdNextSend();
    // Attempt 1: Baileys never returns from sendMessage, so no ack comes and the attempt times out.
    await expect(connection.send(TO, { text: 'hello' }, ID, 30)).rejects.toMatchObject({ code: 'ack_timeout' });
    const second = connection.send(TO, { text: 'hello' }, ID, 5_000);
    let secondSettled = false;
    void second.then(
      () => (secondSettled = true),
      () => (secondSettled = true),
    );
    await new Promise((resolve) => setTimeout(resolve, 10));
    // Attempt 1's sendMessage still runs: attempt 2 waits for it rather than writing beside it.
    expect(socket.written).toEqual([]);
    hung.fail(boomError(428, 'Connection Closed'));
    await waitUntil(() => expect(socket.written).toEqual([{ jid: TO, text: 'hello', messageId: ID }]));
    expect(secondSettled).toBe(false);
    socket.ws.emit(MESSAGE_ACK_FRAME, ack(ID));
    await expect(second).resolves.toBeUndefined();
    expect(socket.mostSendsAtOnce).toBe(1);
  });

  it('close() removes every ev and ws listener, clears its timers, fails waiting sends and delivers nothing after', async () => {
    const { socket, connection, messages } = await connected();
    const timers = new TimerTracker();
    expect(socket.listenerTotal().ev).toBeGreaterThan(0);
    expect(socket.listenerTotal().ws).toBe(1);
    const waiting = [1, 2, 3].map((n) => connection.send(TO, { text: 'x' }, `3EB0000000000000000000${n}`, 60_000).catch((error: unknown) => error));
    await waitUntil(() => expect(socket.written).toHaveLength(3));
    expect(await timers.pending()).toBe(3);

    await connection.close();

    expect(socket.listenerTotal()).toEqual({ ev: 0, ws: 0 });
    expect(await timers.pending()).toBe(0);
    timers.stop();
    expect(socket.ended).toBe(true);
    for (const failure of await Promise.all(waiting)) expect(failure).toMatchObject({ permanent: false, code: 'connection_closed' });
    socket.emitEvent('messages.upsert', { type: 'notify', messages: [{ key: { remoteJid: TO, id: 'ABC', fromMe: false }, message: { conversation: 'late' }, messageTimestamp: 1 }] });
    expect(messages).toEqual([]);
  });

  it('a close from WhatsApp is told once, then the connection is finished like close()', async () => {
    const { socket, connection, events, messages } = await connected();
    const waiting = connection.send(TO, { text: 'x' }, ID, 60_000).catch((error: unknown) => error);
    socket.emitEvent('connection.update', { connection: 'close', lastDisconnect: { error: boomError(440, 'Stream Errored (conflict)'), date: new Date() } });
    await waitUntil(() => expect(events.at(-1)).toMatchObject({ type: 'close', reason: 'connectionReplaced', statusCode: 440 }));
    expect(await waiting).toMatchObject({ permanent: false });
    expect(socket.listenerTotal()).toEqual({ ev: 0, ws: 0 });
    socket.emitEvent('connection.update', { connection: 'close' });
    socket.emitEvent('messages.upsert', { type: 'notify', messages: [{ key: { remoteJid: TO, id: 'ABC', fromMe: false }, message: { conversation: 'late' }, messageTimestamp: 1 }] });
    expect(events.filter((event) => event.type === 'close')).toHaveLength(1);
    expect(messages).toEqual([]);
  });

  it('opening an account again closes its previous connection before the new socket exists', async () => {
    const { provider, factory, socket: first } = await connected();
    provider.open({ accountId: 'acc1', session: new MemorySessionStore(), getMessageText: async () => undefined });
    await waitUntil(() => expect(factory.sockets).toHaveLength(2));
    expect(first.ended).toBe(true);
    expect(first.listenerTotal()).toEqual({ ev: 0, ws: 0 });
    await provider.closeAll();
  });

  it('getMessage answers a retry for our own message by chat and id only', async () => {
    const ownTexts = new Map([[`${TO}/${ID}`, 'the original']]);
    const { socket, asked } = await connected({ ownTexts });
    const getMessage = socket.config.getMessage!;
    const answer = await getMessage({ remoteJid: '40711111111:5@s.whatsapp.net', fromMe: true, id: ID });
    expect(answer).toEqual(proto.Message.fromObject({ extendedTextMessage: { text: 'the original' } }));
    expect(await getMessage({ remoteJid: TO, fromMe: false, id: ID })).toBeUndefined();
    expect(await getMessage({ remoteJid: '40722222222@s.whatsapp.net', fromMe: true, id: ID })).toBeUndefined();
    expect(asked).toEqual([`${TO}/${ID}`, `40722222222@s.whatsapp.net/${ID}`]);
  });

  it('creds.update is written to the session store', async () => {
    const { socket, session } = await connected();
    socket.emitEvent('creds.update', { me: { id: '40700000001:7@s.whatsapp.net', name: 'Shop' } });
    await waitUntil(() => expect(JSON.parse(session.values.get(CREDS_KEY) ?? '{}').me).toEqual({ id: '40700000001:7@s.whatsapp.net', name: 'Shop' }));
  });

  it('open reports the phone of sock.user', async () => {
    const { events } = await connected();
    expect(events).toEqual([{ type: 'open', phone: '40700000001', name: 'Stand-in' }]);
  });
});
