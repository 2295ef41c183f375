import { createHash } from 'node:crypto';
import { SchedulerRegistry } from '@nestjs/schedule';
import { afterEach, describe, expect, it } from 'vitest';
import { ProviderEventBus } from '../../../src/whatsapp/provider-event-bus';
import { MetricsRecorder } from '../../../src/metrics/metrics-recorder';
import { RETRY_BACKOFF } from '../../../src/outbox/send-attempts';
import { SqliteMessageStatusRepository } from '../../../src/receipts/sqlite/message-status.repository.sqlite';
import { PROVIDER_STATUS } from '../../../src/receipts/receipt-mapping';
import { ProviderEventSpool } from '../../../src/spool/provider-event-spool';
import { ReceiptsService } from '../../../src/receipts/receipts.service';
import { ProviderReceipt } from '../../../src/whatsapp/whatsapp-provider';
import { Answer, processorHarness } from './processor-harness';

type Harness = Awaited<ReturnType<typeof processorHarness>>;
let h: Harness;
afterEach(() => h?.close());

describe('the outbox processor', () => {
  it("sends one recipient's messages in the order they were accepted, each after the previous ended", async () => {
    h = await processorHarness({ connected: ['acc1'] });
    for (let i = 1; i <= 5; i++) await h.accept('acc1', '40712345678', `m${i}`);
    await h.accept('acc1', '40799999999', 'other');
    await h.round();
    expect(h.sockets.get('acc1')!.delivered.filter((d) => d.toJid.startsWith('407123')).map((d) => d.text)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
  });

  it("keeps a disconnected account's 1,000 queued items from delaying another account", async () => {
    h = await processorHarness({ connected: ['fast'], disconnected: ['down'] });
    await Promise.all(Array.from({ length: 1000 }, (_, i) => h.accept('down', `4071${String(i).padStart(7, '0')}`, `down-${i}`)));
    for (let i = 0; i < 10; i++) await h.accept('fast', `4072${String(i).padStart(7, '0')}`, `fast-${i}`);
    await h.round();
    expect(h.sockets.get('fast')!.delivered).toHaveLength(10);
    const down = h.store.db.prepare("SELECT status, attempts, COUNT(*) AS n FROM outbox WHERE account_id = 'down' GROUP BY status, attempts").all();
    expect(down).toEqual([{ status: 'queued', attempts: 0, n: 1000 }]);
  });

  it('retries a transient failure after an exponential, jittered backoff, with the same WhatsApp id', async () => {
    h = await processorHarness({ connected: ['acc1'] });
    const item = await h.accept('acc1', '40712345678', 'flaky');
    let failures = 2;
    h.sockets.get('acc1')!.script = () => (failures-- > 0 ? 'transient' : 'ok');
    const waits: number[] = [];
    for (let attempt = 1; attempt <= 2; attempt++) {
      await h.round();
      const queued = (await h.item('acc1', item.requestId))!;
      expect(queued).toMatchObject({ status: 'queued', attempts: attempt, lastError: expect.stringContaining('500') });
      const wait = queued.nextAttemptAt - h.clock.now();
      waits.push(wait);
      const full = Math.min(RETRY_BACKOFF.maxMs, RETRY_BACKOFF.baseMs * 2 ** (attempt - 1));
      expect(wait).toBeGreaterThanOrEqual(full / 2);
      expect(wait).toBeLessThanOrEqual(full);
      h.clock.advance(wait - 1);
      await h.round();
      expect((await h.item('acc1', item.requestId))!.attempts).toBe(attempt);
      h.clock.advance(1);
    }
    await h.round();
    expect(await h.item('acc1', item.requestId)).toMatchObject({ status: 'sent', attempts: 3 });
    expect(h.sockets.get('acc1')!.delivered.map((d) => d.waMessageId)).toEqual([item.waMessageId]);
    expect(waits[1]).toBeGreaterThan(waits[0] / 2);
  });

  it('fails an item after OUTBOX_MAX_ATTEMPTS transient failures, with the reason on the message', async () => {
    h = await processorHarness({ connected: ['acc1'], maxAttempts: 3 });
    const item = await h.accept('acc1', '40712345678', 'doomed');
    h.sockets.get('acc1')!.script = () => 'transient';
    for (let i = 0; i < 3; i++) {
      await h.round();
      h.clock.advance(RETRY_BACKOFF.maxMs);
    }
    expect(await h.item('acc1', item.requestId)).toMatchObject({ status: 'failed', failureReason: 'maxAttempts', attempts: 3, lastError: expect.stringContaining('gave up after 3 attempts') });
    expect(await h.threads.getMessage(item.threadId, item.messageId)).toMatchObject({ status: 'failed', failureReason: 'maxAttempts', error: expect.stringContaining('gave up') });
    await h.round();
    expect((await h.item('acc1', item.requestId))!.attempts).toBe(3);
  });

  it('fails a permanent error at once, without spending retries', async () => {
    h = await processorHarness({ connected: ['acc1'] });
    const item = await h.accept('acc1', '40712345678', 'nobody there');
    h.sockets.get('acc1')!.script = () => 'permanent';
    await h.round();
    expect(await h.item('acc1', item.requestId)).toMatchObject({ status: 'failed', attempts: 1, lastError: expect.stringContaining('404') });
    expect(await h.threads.getMessage(item.threadId, item.messageId)).toMatchObject({ status: 'failed' });
  });

  it("sends a media item's stored bytes, the same on every attempt under the same WhatsApp id", async () => {
    h = await processorHarness({ connected: ['acc1'] });
    const bytes = Buffer.from('%PDF-1.7 the stored file');
    const item = await h.acceptMedia('acc1', '40712345678', bytes);
    let failures = 1;
    h.sockets.get('acc1')!.script = () => (failures-- > 0 ? 'transient' : 'ok');
    await h.round();
    h.clock.advance(RETRY_BACKOFF.maxMs);
    await h.round();
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    expect(h.sockets.get('acc1')!.delivered).toEqual([{ toJid: '40712345678@s.whatsapp.net', text: `sha256:${sha256}`, waMessageId: item.waMessageId }]);
    expect(await h.item('acc1', item.requestId)).toMatchObject({ status: 'sent', attempts: 2, media: { sha256, size: bytes.length, stored: true } });
  });

  it('fails a media item whose stored file is gone at send time, for good, saying so', async () => {
    h = await processorHarness({ connected: ['acc1'] });
    const item = await h.acceptMedia('acc1', '40712345678', Buffer.from('%PDF-1.7 soon gone'));
    await h.blobs.remove(item.media!.sha256);
    await h.round();
    expect(h.sockets.get('acc1')!.delivered).toEqual([]);
    const failed = { status: 'failed', failureReason: 'rejected', lastError: expect.stringContaining(`the stored file ${item.media!.sha256} is gone`) };
    expect(await h.item('acc1', item.requestId)).toMatchObject(failed);
    expect(await h.threads.getMessage(item.threadId, item.messageId)).toMatchObject({ status: 'failed', failureReason: 'rejected', type: 'document', media: { stored: true } });
  });

  it('sends nothing on a claim a stalled event loop left too short: gives it back uncounted and sends on a fresh claim', async () => {
    h = await processorHarness({ connected: ['acc1'] });
    const item = await h.accept('acc1', '40712345678', 'after a stall');
    const claimLeftAtSend: number[] = [];
    h.sockets.get('acc1')!.script = async (): Promise<Answer> => {
      claimLeftAtSend.push((await h.item('acc1', item.requestId))!.leaseUntil! - h.clock.now());
      return 'ok';
    };
    // The claim's lease is 60 s; a 31 s stall leaves less than the 20 s send timeout plus its 10 s margin.
    h.stallAfterNextClaim(31_000);
    await h.round();
    expect(claimLeftAtSend).toEqual([h.config.outboxLeaseMs]);
    expect(h.sockets.get('acc1')!.delivered.map((d) => d.text)).toEqual(['after a stall']);
    expect(await h.item('acc1', item.requestId)).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it("sends nothing while the account's lease is short after a stall, and sends once a renewal moved it", async () => {
    h = await processorHarness({ connected: ['acc1'] });
    const item = await h.accept('acc1', '40712345678', 'lease running out');
    // ACCOUNT_LEASE_MS is 30 s: a holder renewing on time always has a third (10 s) left.
    h.setAccountLease('acc1', h.clock.now() + 15_000);
    h.stallAfterNextClaim(6_000);
    await h.round();
    expect(h.sockets.get('acc1')!.delivered).toEqual([]);
    expect(await h.item('acc1', item.requestId)).toMatchObject({ status: 'queued', attempts: 0 });
    await h.round();
    expect(h.sockets.get('acc1')!.delivered).toEqual([]);
    h.setAccountLease('acc1', h.clock.now() + 30_000);
    await h.round();
    expect(h.sockets.get('acc1')!.delivered.map((d) => d.text)).toEqual(['lease running out']);
  });

  it('never has more sends of one account in flight than its cap, over several rounds', async () => {
    h = await processorHarness({ connected: ['acc1'], maxInFlightPerAccount: 2 });
    for (let i = 0; i < 6; i++) await h.accept('acc1', `4071000000${i}`, `m${i}`);
    const answers: Array<() => void> = [];
    const socket = h.sockets.get('acc1')!;
    socket.script = () => new Promise((resolve) => answers.push(() => resolve('ok')));
    for (let round = 0; round < 3; round++) {
      h.processor.trigger();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(answers).toHaveLength(2);
    while (socket.delivered.length < 6) {
      answers.shift()?.();
      h.processor.trigger();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await h.processor.idle();
    expect(socket.mostInFlight).toBe(2);
  });

  it('ends a send as sent when its receipt came before a late ack failure, never failed and never sent again', async () => {
    h = await processorHarness({ connected: ['acc1'], maxAttempts: 1 });
    const item = await h.accept('acc1', '40712345678', 'acknowledged');
    const metrics = new MetricsRecorder();
    const receipts = new ReceiptsService(new SqliteMessageStatusRepository(h.store), h.outbox, h.clock, metrics, new ProviderEventSpool(h.config, metrics, new SchedulerRegistry()), new ProviderEventBus(metrics));
    h.sockets.get('acc1')!.script = async (_text, waMessageId): Promise<Answer> => {
      // WhatsApp's SERVER_ACK reached us as a receipt, but the send's own ack wait timed out.
      const receipt: ProviderReceipt = { chatJid: '40712345678@s.whatsapp.net', fromMe: true, waMessageId, providerStatus: PROVIDER_STATUS.SERVER_ACK, errorCode: null, at: h.clock.now() };
      await receipts.apply('acc1', receipt);
      return 'transient';
    };
    await h.round();
    expect(await h.item('acc1', item.requestId)).toMatchObject({ status: 'sent', failureReason: null });
    expect(await h.threads.getMessage(item.threadId, item.messageId)).toMatchObject({ status: 'sent' });
    h.clock.advance(RETRY_BACKOFF.maxMs);
    await h.round();
    expect(await h.item('acc1', item.requestId)).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('at shutdown stops claiming, lets the in-flight send finish, and returns unsent claims to the queue', async () => {
    h = await processorHarness({ connected: ['acc1'] });
    const inFlight = await h.accept('acc1', '40711111111', 'in flight');
    let ack: () => void = () => undefined;
    h.sockets.get('acc1')!.script = () => new Promise((resolve) => (ack = () => resolve('ok')));
    h.processor.trigger();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await h.item('acc1', inFlight.requestId)).toMatchObject({ status: 'processing' });
    // Claimed by this instance but not yet handed to the socket when SIGTERM came.
    const unsent = await h.accept('acc1', '40722222222', 'claimed, not sent');
    await h.outbox.claim({ owner: h.config.owner, accounts: h.held, now: h.clock.now(), leaseMs: 60_000, perAccount: 5 });
    let stopped = false;
    const stopping = h.processor.onApplicationShutdown().then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(stopped).toBe(false);
    ack();
    await stopping;
    expect(await h.item('acc1', inFlight.requestId)).toMatchObject({ status: 'sent' });
    expect(await h.item('acc1', unsent.requestId)).toMatchObject({ status: 'queued', attempts: 0, claimedBy: null });
    h.processor.trigger();
    await h.processor.idle();
    expect(h.sockets.get('acc1')!.delivered.map((d) => d.text)).toEqual(['in flight']);
  });
});
