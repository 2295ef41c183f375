import { AccountPauses } from '../../../src/accounts/account-pauses.service';
import { AccountDrains } from '../../../src/accounts/account-drains';
import { SchedulerRegistry } from '@nestjs/schedule';
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { AccountConnections } from '../../../src/accounts/account-connections.service';
import { ProviderEventBus } from '../../../src/whatsapp/provider-event-bus';
import { newAccount } from '../../../src/accounts/account';
import { SqliteAccountRepository } from '../../../src/accounts/sqlite/account.repository.sqlite';
import { loadAppConfig } from '../../../src/config/app-config';
import { MetricsRecorder } from '../../../src/metrics/metrics-recorder';
import { threadIdOf } from '../../../src/common/jid';
import { SqliteThreadRepository } from '../../../src/messaging/sqlite/thread.repository.sqlite';
import { ClaimRequest } from '../../../src/outbox/claim-rule';
import { OutboxItem } from '../../../src/outbox/outbox-item';
import { OutboxProcessor } from '../../../src/outbox/outbox-processor.service';
import { SendAttempts } from '../../../src/outbox/send-attempts';
import { SqliteOutboxRepository } from '../../../src/outbox/sqlite/outbox.repository.sqlite';
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store';
import { ProviderConnection, SendFailure } from '../../../src/whatsapp/whatsapp-provider';
import { FakeClock } from '../../support/fake-clock';
import { acceptedSend } from '../../support/sends';
import { MemoryBlobStore } from '../../support/memory-blob-store';
import { SqliteAccountSends } from '../../../src/outbox/sqlite/account-sends.sqlite';

/** What WhatsApp answers to one send: `ok`, a transient or permanent failure, or never (a hang). */
export type Answer = 'ok' | 'transient' | 'permanent';

/** A provider connection that records what reached "WhatsApp" and answers as the test scripts it. */
export class ScriptedConnection {
  readonly delivered: Array<{ toJid: string; text: string; waMessageId: string }> = [];
  script: (text: string, waMessageId: string) => Answer | Promise<Answer> = () => 'ok';
  /** The most sends that were waiting for an answer at one time. */
  mostInFlight = 0;
  private inFlight = 0;

  asConnection(): ProviderConnection {
    return {
      on: () => undefined,
      requestPairingCode: async () => '',
      downloadMedia: async () => Promise.reject(new Error('no media here')),
      logout: async () => undefined,
      close: async () => undefined,
      send: async (toJid, content, waMessageId) => {
        // A file is delivered as the hash of the bytes its open() reads, as the simulator logs it.
        const text = 'text' in content ? content.text : `sha256:${createHash('sha256').update(await buffer(await content.media.open())).digest('hex')}`;
        this.mostInFlight = Math.max(this.mostInFlight, ++this.inFlight);
        const answer = await Promise.resolve(this.script(text, waMessageId)).finally(() => (this.inFlight -= 1));
        if (answer === 'transient') throw new SendFailure('server error', false, '500');
        if (answer === 'permanent') throw new SendFailure('recipient not on WhatsApp', true, '404');
        this.delivered.push({ toJid, text, waMessageId });
      },
    };
  }
}

/** The real sqlite outbox, except that the event loop can be made to stall (the clock jumps) right after a claim. */
class StallingOutbox extends SqliteOutboxRepository {
  stallAfterNextClaimMs = 0;

  constructor(
    store: SqliteStore,
    private readonly clock: FakeClock,
  ) {
    super(store);
  }

  override async claim(request: ClaimRequest): Promise<OutboxItem[]> {
    const claimed = await super.claim(request);
    this.clock.advance(this.stallAfterNextClaimMs);
    this.stallAfterNextClaimMs = 0;
    return claimed;
  }
}

/**
 * The real processor on a real sqlite store, with a fake clock and scripted sockets for the accounts
 * this "instance" holds. Accounts are held in the store too, so the claim's owner/epoch check is real.
 */
export async function processorHarness(options: { connected: string[]; disconnected?: string[]; maxAttempts?: number; maxInFlightPerAccount?: number }) {
  const clock = new FakeClock();
  const config = loadAppConfig(
    {
      SQLITE_PATH: join(mkdtempSync(join(tmpdir(), 'wa-proc-')), 'db.sqlite'),
      WORKER_ID: 'w1',
      SEND_MIN_INTERVAL_MS: '0',
      OUTBOX_MAX_ATTEMPTS: String(options.maxAttempts ?? 5),
    },
    options.maxInFlightPerAccount ? { maxInFlightPerAccount: options.maxInFlightPerAccount } : {},
  );
  const store = SqliteStore.open(config.sqlitePath);
  const accounts = new SqliteAccountRepository(store, new SqliteAccountSends(store));
  const outbox = new StallingOutbox(store, clock);
  const threads = new SqliteThreadRepository(store);
  const sockets = new Map<string, ScriptedConnection>();
  const all = [...options.connected, ...(options.disconnected ?? [])];
  for (const accountId of all) await accounts.create(newAccount(accountId, null, clock.now()));
  const held = await accounts.claimUnowned(config.owner, clock.now(), 3_600_000, 100);
  for (const accountId of options.connected) sockets.set(accountId, new ScriptedConnection());
  const live = held.map((a) => ({
    accountId: a.accountId,
    holding: { accountId: a.accountId, owner: a.owner!, ownerEpoch: a.ownerEpoch },
    connected: sockets.has(a.accountId),
    leaseUntil: a.leaseUntil!,
    isPaused: () => false,
  }));
  const connections = {
    held: () => live,
    connectionFor: (accountId: string) => {
      const entry = live.find((l) => l.accountId === accountId);
      const socket = sockets.get(accountId);
      return entry && socket ? { connection: socket.asConnection(), ownerEpoch: entry.holding.ownerEpoch, leaseUntil: entry.leaseUntil } : undefined;
    },
  } as unknown as AccountConnections;
  const metrics = new MetricsRecorder();
  const blobs = new MemoryBlobStore();
  const attempts = new SendAttempts(outbox, connections, config, clock, metrics, blobs, new AccountPauses(connections, accounts, clock, config, metrics));
  const processor = new OutboxProcessor(outbox, connections, attempts, config, clock, new SchedulerRegistry(), new ProviderEventBus(metrics), new AccountDrains());

  return {
    config,
    held: live.map((l) => l.holding),
    clock,
    store,
    outbox,
    threads,
    sockets,
    processor,
    blobs,
    /** Accepts a send the way the send path does (durably queued). */
    async accept(accountId: string, to: string, text: string) {
      const clientJid = `${to}@s.whatsapp.net`;
      const send = acceptedSend({ accountId, clientJid, threadId: threadIdOf(accountId, clientJid), text, now: clock.now() });
      return (await outbox.accept(send)).item;
    },
    /** Accepts a media send of these bytes, stored first as the send-media route stores them. */
    async acceptMedia(accountId: string, to: string, bytes: Buffer) {
      const clientJid = `${to}@s.whatsapp.net`;
      const { sha256, size } = await blobs.put(Readable.from([bytes]), bytes.length);
      const media = { type: 'document' as const, mimetype: 'application/pdf', fileName: 'a.pdf', size, sha256, caption: null, stored: true as const };
      const send = acceptedSend({ accountId, clientJid, threadId: threadIdOf(accountId, clientJid), text: null, media, now: clock.now() });
      return (await outbox.accept(send)).item;
    },
    /** One poll, then wait for every send it started (and the rounds those trigger) to settle. */
    async round() {
      processor.trigger();
      await processor.idle();
    },
    item: (accountId: string, requestId: string) => outbox.get(accountId, requestId),
    /** The event loop stalls this long right after the next claim, before its sends start. */
    stallAfterNextClaim(ms: number) {
      outbox.stallAfterNextClaimMs = ms;
    },
    /** Where this instance believes the account's lease ends (as a renewal or a missed one leaves it). */
    setAccountLease(accountId: string, leaseUntil: number) {
      live.find((l) => l.accountId === accountId)!.leaseUntil = leaseUntil;
    },
    close: () => store.close(),
  };
}
