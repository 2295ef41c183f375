import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AccountConnections } from '../accounts/account-connections.service';
import { BackoffPolicy, backoffDelay } from '../common/backoff';
import { ClaimLoop, ClaimRound } from '../common/claim-loop';
import { Clock } from '../common/clock';
import { PeriodicJob } from '../common/periodic-job';
import { AppConfig } from '../config/app-config';
import { BlobStore, BlobTooLarge } from '../media/blob-store';
import { mediaLimitBytes } from '../media/media-limits';
import { ClaimRequest, claimOf } from '../outbox/claim-rule';
import { ProviderEventBus } from '../whatsapp/provider-event-bus';
import { MediaDownload } from './media-download';
import { MediaDownloads } from './media-downloads.repository';

/** Files in flight per account in this process. */
const IN_FLIGHT_PER_ACCOUNT = 2;
/** WhatsApp keeps a file for weeks; these attempts span about a day before the download is given up. */
export const DOWNLOAD_MAX_ATTEMPTS = 10;
export const DOWNLOAD_BACKOFF: BackoffPolicy = { baseMs: 5_000, maxMs: 4 * 60 * 60_000 };
/** Long enough for a large file on a slow link; a download still running past it may be claimed again. */
const LEASE_MS = 10 * 60_000;

/**
 * Downloads inbound files into the blob store: the claim engine's kind of work keyed by account, run only
 * for accounts this instance holds with their socket open (the claim checks owner and epoch, as the
 * outbox's does), since the download and the phone's re-upload go through that socket. A failure is
 * retried with backoff; a file over its type's limit, or out of attempts, fails for good.
 */
@Injectable()
export class MediaDownloadWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('MediaDownloads');
  private readonly loop: ClaimLoop<MediaDownload>;
  private readonly poll: PeriodicJob;

  constructor(
    private readonly downloads: MediaDownloads,
    private readonly connections: AccountConnections,
    private readonly blobs: BlobStore,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    scheduler: SchedulerRegistry,
    events: ProviderEventBus,
  ) {
    this.poll = new PeriodicJob(scheduler, 'media-downloads-poll');
    this.loop = new ClaimLoop('MediaDownloads', { claim: (round) => this.claim(round), keyOf: (item) => item.accountId, attempt: (item) => this.attempt(item) }, IN_FLIGHT_PER_ACCOUNT);
    events.on('connected', (accountId) => this.loop.stir(accountId));
  }

  onApplicationBootstrap(): void {
    this.poll.every(this.config.outboxPollMs, () => this.loop.trigger());
  }

  async onApplicationShutdown(): Promise<void> {
    this.loop.stop();
    this.poll.stop();
    await this.loop.idle();
    const released = await this.downloads.releaseAll(this.config.owner, this.clock.now());
    if (released > 0) this.logger.log({ released }, 'released media download claims at shutdown');
  }

  idle(): Promise<void> {
    return this.loop.idle();
  }

  private async claim({ every, stirred, room, later }: ClaimRound): Promise<MediaDownload[]> {
    const accounts: ClaimRequest['accounts'] = [];
    for (const live of this.connections.held()) {
      if (!every && !stirred.has(live.accountId)) continue;
      const left = room(live.accountId);
      if (live.connected && left > 0) accounts.push({ ...live.holding, limit: left });
      else if (stirred.has(live.accountId)) later(live.accountId);
    }
    if (accounts.length === 0) return [];
    return this.downloads.claim({ owner: this.config.owner, accounts, now: this.clock.now(), leaseMs: LEASE_MS, perAccount: IN_FLIGHT_PER_ACCOUNT });
  }

  private async attempt(item: MediaDownload): Promise<void> {
    const claim = claimOf(item);
    const log = { accountId: item.accountId, messageId: item.messageId, attempt: item.attempts };
    try {
      const held = this.connections.connectionFor(item.accountId);
      if (!held) throw new Error('the account is not connected here');
      const stream = await held.connection.downloadMedia(item.source);
      const blob = await this.blobs.put(stream, mediaLimitBytes(item.type, this.config.mediaMaxMb));
      if (!(await this.downloads.recordStored(claim, blob, this.clock.now()))) this.logger.warn(log, 'media download claim lost before its file was recorded');
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const now = this.clock.now();
      if (error instanceof BlobTooLarge || item.attempts >= DOWNLOAD_MAX_ATTEMPTS) {
        await this.downloads.markFailed(claim, reason, now);
        this.logger.warn({ ...log, error: reason }, 'media download failed for good');
      } else {
        await this.downloads.release(claim, reason, now + backoffDelay(item.attempts, DOWNLOAD_BACKOFF), now);
        this.logger.log({ ...log, error: reason }, 'media download failed; retried later');
      }
    }
  }
}
