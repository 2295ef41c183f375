import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { InvalidInput } from '../../../src/common/errors';
import { SimulatorProvider } from '../../../src/whatsapp/simulator/simulator.provider';
import { WhatsAppSimulator, type SimulatorOptions } from '../../../src/whatsapp/simulator/whatsapp-simulator';
import {
  SendFailure,
  type ConnectionEvent,
  type OutgoingMedia,
  type ProviderMessage,
  type ProviderReceipt,
  type WhatsAppProvider,
} from '../../../src/whatsapp/whatsapp-provider';
import { MemorySessionStore } from './support/memory-session-store';
import { waitUntil } from './support/wait-until';

const CLIENT = '40722222222@s.whatsapp.net';

function simulated(options: Partial<SimulatorOptions> = {}) {
  const simulator = new WhatsAppSimulator({ sendMs: 0, failureRate: 0, requireScan: false, workerId: 'worker-a', ...options });
  return { simulator, provider: new SimulatorProvider(simulator, { logLevel: 'silent' }) };
}

function openAccount(provider: WhatsAppProvider, accountId: string, session = new MemorySessionStore()) {
  const connection = provider.open({ accountId, session, getMessageText: async () => undefined });
  const events: ConnectionEvent[] = [];
  const messages: ProviderMessage[] = [];
  const receipts: ProviderReceipt[] = [];
  connection.on('connection', (event) => events.push(event));
  connection.on('message', (message) => messages.push(message));
  connection.on('receipt', (receipt) => receipts.push(receipt));
  const settled = () => waitUntil(() => expect(['open', 'close', 'qr']).toContain(events.at(-1)?.type));
  return { connection, session, events, messages, receipts, settled };
}

/** Links a new account: the first socket ends in restartRequired after pairing, as with WhatsApp; the second opens. */
async function linked(provider: WhatsAppProvider, accountId = 'acc1', session = new MemorySessionStore()) {
  const first = openAccount(provider, accountId, session);
  await first.settled();
  expect(first.events.at(-1)).toMatchObject({ type: 'close', reason: 'restartRequired', statusCode: 515 });
  const second = openAccount(provider, accountId, session);
  await second.settled();
  return second;
}

describe('the WhatsApp simulator through the shared connection code', () => {
  it('links a new account, restarts as WhatsApp asks after pairing, then opens with its phone', async () => {
    const { simulator, provider } = simulated();
    const account = await linked(provider);
    expect(account.events).toEqual([{ type: 'connecting' }, { type: 'open', phone: simulator.phoneOf('acc1'), name: 'acc1' }]);
  });

  it('with requireScan, a new account waits in qr until scanned', async () => {
    const { simulator, provider } = simulated({ requireScan: true });
    const first = openAccount(provider, 'acc1');
    await first.settled();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(first.events).toEqual([{ type: 'connecting' }, { type: 'qr', qr: expect.stringMatching(/^SIMULATED-QR,acc1,/) }]);
    expect(simulator.scan('other')).toBe(false);

    expect(simulator.scan('acc1')).toBe(true);
    await waitUntil(() => expect(first.events.at(-1)).toMatchObject({ type: 'close', reason: 'restartRequired' }));
    const second = openAccount(provider, 'acc1', first.session);
    await second.settled();
    expect(second.events.at(-1)).toMatchObject({ type: 'open', phone: simulator.phoneOf('acc1') });
  });

  it('with requireScan, an unscanned login shows six QRs (60 s, then 20 s each) and ends as Baileys does: 408 "QR refs attempts ended"', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      const { provider } = simulated({ requireScan: true });
      const first = openAccount(provider, 'acc1');
      const qrs = () => first.events.filter((event) => event.type === 'qr').map((event) => (event as { qr: string }).qr);
      await vi.advanceTimersByTimeAsync(10);
      expect(qrs()).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(59_980);
      expect(qrs()).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(20);
      expect(qrs()).toHaveLength(2);
      await vi.advanceTimersByTimeAsync(4 * 20_000);
      expect(new Set(qrs()).size).toBe(6);
      expect(first.events.at(-1)?.type).toBe('qr');
      await vi.advanceTimersByTimeAsync(20_000);
      expect(qrs()).toHaveLength(6);
      expect(first.events.at(-1)).toEqual({ type: 'close', reason: 'connectionLost', statusCode: 408, message: 'QR refs attempts ended' });
    } finally {
      vi.useRealTimers();
    }
  });

  it('a pairing code is given once WhatsApp offers a login, and entering it links that number', async () => {
    const { simulator, provider } = simulated({ requireScan: true });
    const first = openAccount(provider, 'acc1');
    const code = await first.connection.requestPairingCode('+40 733 333 333');
    expect(code).toMatch(/^[1-9A-HJ-NP-TV-Z]{8}$/);
    expect(simulator.scan('acc1')).toBe(true);
    await waitUntil(() => expect(first.events.at(-1)).toMatchObject({ type: 'close', reason: 'restartRequired' }));
    const second = openAccount(provider, 'acc1', first.session);
    await second.settled();
    expect(second.events.at(-1)).toMatchObject({ type: 'open', phone: '40733333333' });
  });

  it('send resolves on the server ack, is echoed as our own message, and is logged with the worker id', async () => {
    const logPath = join(mkdtempSync(join(tmpdir(), 'wa-sim-')), 'provider.log');
    const { provider } = simulated({ logPath });
    const account = await linked(provider);
    const waMessageId = provider.newMessageId();

    await account.connection.send(CLIENT, { text: 'hello there' }, waMessageId, 5_000);

    await waitUntil(() => expect(account.messages).toHaveLength(1));
    expect(account.messages[0]).toMatchObject({ chatJid: CLIENT, fromMe: true, waMessageId, text: 'hello there', upsertType: 'append' });
    const lines = readFileSync(logPath, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(lines.map((line) => line.type)).toEqual(['connect', 'disconnect', 'connect', 'send']);
    expect(lines[3]).toEqual({ type: 'send', accountId: 'acc1', to: CLIENT, waMessageId, text: 'hello there', workerId: 'worker-a', at: expect.any(Number) });
  });

  it('a file is read from where the send says, its bytes hashed into the log line, and opened afresh by each attempt', async () => {
    const logPath = join(mkdtempSync(join(tmpdir(), 'wa-sim-')), 'provider.log');
    const { provider } = simulated({ logPath });
    const account = await linked(provider);
    const bytes = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(200_000)]);
    let opened = 0;
    const media: OutgoingMedia = {
      type: 'document',
      mimetype: 'application/pdf',
      fileName: 'invoice.pdf',
      caption: 'your invoice',
      sha256: createHash('sha256').update(bytes).digest('hex'),
      size: bytes.length,
      open: async () => {
        opened += 1;
        return Readable.from([bytes.subarray(0, 70_000), bytes.subarray(70_000)]);
      },
    };
    const waMessageId = provider.newMessageId();

    await account.connection.send(CLIENT, { media }, waMessageId, 5_000);
    await account.connection.send(CLIENT, { media: { ...media, type: 'voice', mimetype: 'audio/ogg' } }, provider.newMessageId(), 5_000);

    expect(opened).toBe(2);
    const sends = readFileSync(logPath, 'utf8').trim().split('\n').map((line) => JSON.parse(line)).filter((line) => line.type === 'send');
    expect(sends[0]).toMatchObject({ waMessageId, text: 'your invoice', media: { type: 'document', mimetype: 'application/pdf', size: bytes.length, sha256: media.sha256 } });
    // A voice note goes as Opus in Ogg whatever the stored mimetype says, with `ptt`.
    expect(sends[1].media).toEqual({ type: 'voice', mimetype: 'audio/ogg; codecs=opus', size: bytes.length, sha256: media.sha256 });
  });

  it('a file gone at send time fails the attempt for good', async () => {
    const { provider } = simulated();
    const account = await linked(provider);
    const gone = new SendFailure('the stored file is gone', true, 'media_missing');
    const media: OutgoingMedia = { type: 'image', mimetype: 'image/png', fileName: null, caption: null, sha256: '00'.repeat(32), size: 1, open: () => Promise.reject(gone) };

    const failure = await account.connection.send(CLIENT, { media }, provider.newMessageId(), 5_000).catch((error: unknown) => error);

    expect(failure).toMatchObject({ permanent: true, code: 'media_missing' });
  });

  it('sendMs delays the ack', async () => {
    const { provider } = simulated({ sendMs: 120 });
    const account = await linked(provider);
    const started = Date.now();
    await account.connection.send(CLIENT, { text: 'slow' }, provider.newMessageId(), 5_000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
  });

  it('failureRate 1 makes every send a transient failure, reported as a transient ERROR receipt and marked in the log', async () => {
    const logPath = join(mkdtempSync(join(tmpdir(), 'wa-sim-')), 'provider.log');
    const { provider } = simulated({ failureRate: 1, logPath });
    const account = await linked(provider);
    const waMessageId = provider.newMessageId();
    const failure = await account.connection.send(CLIENT, { text: 'x' }, waMessageId, 5_000).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(SendFailure);
    expect(failure).toMatchObject({ permanent: false, code: '503' });
    await waitUntil(() => expect(account.receipts).toHaveLength(1));
    expect(account.receipts[0]).toMatchObject({ waMessageId, providerStatus: 0, errorCode: '503', permanentError: false });
    const sends = readFileSync(logPath, 'utf8').trim().split('\n').map((line) => JSON.parse(line)).filter((line) => line.type === 'send');
    expect(sends).toEqual([expect.objectContaining({ waMessageId, rejected: true })]);
  });

  it("disconnect('loggedOut') closes with loggedOut, and WhatsApp refuses that session until it is cleared", async () => {
    const { simulator, provider } = simulated();
    const account = await linked(provider);
    expect(simulator.disconnect('acc1', 'loggedOut')).toBe(true);
    await waitUntil(() => expect(account.events.at(-1)).toEqual({ type: 'close', reason: 'loggedOut', statusCode: 401, message: 'Connection Failure' }));

    const again = openAccount(provider, 'acc1', account.session);
    await again.settled();
    expect(again.events.at(-1)).toMatchObject({ type: 'close', reason: 'loggedOut' });

    await account.session.clear();
    const fresh = openAccount(provider, 'acc1', account.session);
    await fresh.settled();
    expect(fresh.events.at(-1)).toMatchObject({ type: 'close', reason: 'restartRequired' });
  });

  it.each([
    ['connectionReplaced', 440],
    ['restartRequired', 515],
    ['timedOut', 408],
  ])("disconnect('%s') closes with status %i", async (reason, statusCode) => {
    const { simulator, provider } = simulated();
    const account = await linked(provider);
    simulator.disconnect('acc1', reason);
    await waitUntil(() => expect(account.events.at(-1)).toMatchObject({ type: 'close', statusCode }));
  });

  it('refuses a disconnect reason Baileys does not name', () => {
    const { simulator } = simulated();
    expect(() => simulator.disconnect('acc1', 'tired')).toThrow(InvalidInput);
  });

  it('injected inbound arrives as a message; while the account is away it waits, then arrives as append', async () => {
    const { simulator, provider } = simulated();
    const account = await linked(provider);
    const live = simulator.injectInbound('acc1', { from: '+40 722 222 222', text: 'hi shop' });
    expect(live.delivered).toBe(true);
    expect(account.messages).toEqual([
      expect.objectContaining({ chatJid: CLIENT, fromMe: false, waMessageId: live.waMessageId, text: 'hi shop', upsertType: 'notify' }),
    ]);

    await account.connection.close();
    const queued = simulator.injectInbound('acc1', { from: CLIENT, text: 'are you there?', waMessageId: 'CLIENTMSG1' });
    expect(queued).toEqual({ waMessageId: 'CLIENTMSG1', delivered: false });
    const back = openAccount(provider, 'acc1', account.session);
    await waitUntil(() => expect(back.messages).toHaveLength(1));
    expect(back.messages[0]).toMatchObject({ waMessageId: 'CLIENTMSG1', text: 'are you there?', upsertType: 'append' });
  });

  it('injected receipts arrive as the port receipts, by name or Baileys number', async () => {
    const { simulator, provider } = simulated();
    const account = await linked(provider);
    const waMessageId = provider.newMessageId();
    await account.connection.send(CLIENT, { text: 'x' }, waMessageId, 5_000);
    for (const status of ['sent', 'delivered', 'read', 'played', 3, 'error'] as const) simulator.injectReceipt('acc1', { waMessageId, status });

    expect(account.receipts.map((receipt) => [receipt.providerStatus, receipt.errorCode, receipt.permanentError])).toEqual([
      [2, null, undefined],
      [3, null, undefined],
      [4, null, undefined],
      [5, null, undefined],
      [3, null, undefined],
      [0, '403', true],
    ]);
    expect(account.receipts[1]).toMatchObject({ chatJid: CLIENT, fromMe: true, waMessageId, at: expect.any(Number) });
    expect(() => simulator.injectReceipt('acc1', { waMessageId: 'NEVERSENT', status: 'read' })).toThrow(InvalidInput);
    expect(() => simulator.injectReceipt('acc1', { waMessageId, status: 'seen' as never })).toThrow(InvalidInput);
  });

  it('group receipts come per participant; a receipt for an account that is away waits for its next login', async () => {
    const { simulator, provider } = simulated();
    const account = await linked(provider);
    const group = '120363025246125888@g.us';
    const toGroup = provider.newMessageId();
    const toClient = provider.newMessageId();
    await account.connection.send(group, { text: 'hello group' }, toGroup, 5_000);
    await account.connection.send(CLIENT, { text: 'hello' }, toClient, 5_000);

    expect(simulator.injectReceipt('acc1', { waMessageId: toGroup, status: 'read' }).delivered).toBe(true);
    expect(account.receipts).toEqual([expect.objectContaining({ chatJid: group, waMessageId: toGroup, providerStatus: 4 })]);

    await account.connection.close();
    expect(simulator.injectReceipt('acc1', { waMessageId: toClient, status: 'delivered' }).delivered).toBe(false);
    const back = openAccount(provider, 'acc1', account.session);
    await waitUntil(() => expect(back.receipts).toEqual([expect.objectContaining({ chatJid: CLIENT, waMessageId: toClient, providerStatus: 3 })]));
  });

  it('a second worker opening the same account replaces the first, as WhatsApp does', async () => {
    const { simulator } = simulated();
    const workerA = new SimulatorProvider(simulator, { logLevel: 'silent' });
    const workerB = new SimulatorProvider(simulator, { logLevel: 'silent' });
    const session = new MemorySessionStore();
    const onA = await linked(workerA, 'acc1', session);
    const onB = openAccount(workerB, 'acc1', session);
    await onB.settled();
    expect(onA.events.at(-1)).toMatchObject({ type: 'close', reason: 'connectionReplaced', statusCode: 440 });
    expect(onB.events.at(-1)).toMatchObject({ type: 'open' });
  });

  it("answers the account's next sends with WhatsApp's limits as Baileys surfaces them, then sends again", async () => {
    const { simulator, provider } = simulated();
    const account = await linked(provider);
    const ends = Date.now() + 60_000;
    simulator.limitSends('acc1', { code: '429', sends: 2 });
    for (let i = 0; i < 2; i++) {
      await expect(account.connection.send(CLIENT, { text: 'x' }, provider.newMessageId(), 5_000)).rejects.toMatchObject({ permanent: false, code: '429', limit: { reason: 'rate_overlimit', until: null } });
    }
    simulator.limitSends('acc1', { code: '463', sends: 1, lockForMs: 60_000 });
    const locked = await account.connection.send(CLIENT, { text: 'x' }, provider.newMessageId(), 5_000).catch((error: unknown) => error);
    expect(locked).toMatchObject({ permanent: false, code: '463', limit: { reason: 'reach_out_locked' } });
    expect((locked as SendFailure).limit!.until).toBeGreaterThanOrEqual(ends);
    // Baileys' ERROR update for the bad ack comes too, and is no permanent rejection.
    await waitUntil(() => expect(account.receipts.at(-1)).toMatchObject({ providerStatus: 0, errorCode: '463', permanentError: false }));
    await expect(account.connection.send(CLIENT, { text: 'x' }, provider.newMessageId(), 5_000)).resolves.toBeUndefined();
  });

  it('refuses a limit it cannot play, naming the field', () => {
    const { simulator } = simulated();
    expect(() => simulator.limitSends('acc1', { code: '500' as never, sends: 1 })).toThrow(expect.objectContaining({ field: 'code' }));
    expect(() => simulator.limitSends('acc1', { code: '429', sends: -1 })).toThrow(InvalidInput);
    expect(() => simulator.limitSends('acc1', { code: '429', sends: 1, lockForMs: 5 })).toThrow(expect.objectContaining({ field: 'lockForMs' }));
  });
});
