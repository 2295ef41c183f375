import { Injectable, Logger } from '@nestjs/common';
import { AccountConnections } from '../accounts/account-connections.service';
import { AccountPauses } from '../accounts/account-pauses.service';
import { BackoffPolicy, backoffDelay } from '../common/backoff';
import { Clock } from '../common/clock';
import { untilStored } from '../common/until-stored';
import { AppConfig } from '../config/app-config';
import { failureOf } from '../messaging/failure-reason';
import { MetricsRecorder } from '../metrics/metrics-recorder';
import { BlobStore } from '../media/blob-store';
import { SentMedia } from '../messaging/send-acceptance';
import { AccountLimit, OutgoingContent, SendFailure } from '../whatsapp/whatsapp-provider';
import { Claim, claimOf } from './claim-rule';
import { OutboxItem } from './outbox-item';
import { OutboxRepository } from './outbox.repository';
import { SendWindow, shortLease } from './send-window';

export const RETRY_BACKOFF: BackoffPolicy = { baseMs: 2_000, maxMs: 5 * 60_000 };

/**
 * One attempt of a claimed item: checked against both leases and the phone it is bound to, sent with its
 * pre-generated WhatsApp id, and its outcome recorded under the claim (sent, retried later, or failed).
 */
@Injectable()
export class SendAttempts {
  private readonly logger = new Logger('SendAttempts');
  private readonly sendTimeoutMs: number;
  /** What must be left of each lease for a send to start; the processor claims only for accounts with it left. */
  readonly window: SendWindow;

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly connections: AccountConnections,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly metrics: MetricsRecorder,
    private readonly blobs: BlobStore,
    private readonly pauses: AccountPauses,
  ) {
    // Well below the lease: an unanswered send gives up long before another worker may reclaim it.
    this.sendTimeoutMs = Math.min(30_000, Math.floor(config.outboxLeaseMs / 3));
    // A sixth of the claim's lease beyond the timeout is room for clock skew with the next claimant; a
    // third of the account's lease is what a holder renewing on time always has left.
    this.window = { claimMs: this.sendTimeoutMs + Math.floor(config.outboxLeaseMs / 6), accountMs: Math.floor(config.accountLeaseMs / 3) };
  }

  async send(item: OutboxItem): Promise<void> {
    const claim = claimOf(item);
    // Before the lease check: nothing may be awaited between that check and the provider send.
    if (item.media && (await this.blobs.stat(item.media.sha256)) === null) return this.failMissingMedia(item, claim, item.media);
    const socket = this.connections.connectionFor(item.accountId);
    const held = socket?.ownerEpoch === item.claimEpoch ? socket : undefined;
    // Nothing is awaited between this check and the provider send, so no stall can come between them.
    const short = held ? shortLease(item.leaseUntil!, held.leaseUntil, this.clock.now(), this.window) : null;
    if (short) return this.giveBack(item, claim, short);
    if (held && item.boundPhone !== null && item.boundPhone !== held.phone) return this.failRelinked(item, claim, held.phone);
    this.metrics.sendAttempted();
    try {
      if (!held) throw new SendFailure('account not connected on this instance', false);
      await held.connection.send(item.toJid, this.contentOf(item), item.waMessageId, this.sendTimeoutMs);
    } catch (error) {
      await this.recordFailure(item, claim, error).catch((recordError: unknown) =>
        // The claim's lease runs out and another round retries it with the same WhatsApp id.
        this.logger.error({ err: recordError, accountId: item.accountId, outboxId: item.id }, 'could not record a send failure'),
      );
      return;
    }
    // WhatsApp has it: a store error now is no failed send. The claim runs out and a later attempt sends
    // the same id again, which WhatsApp keeps as one message.
    await this.recorded(item, () => this.outbox.markSent(claim, this.clock.now()))
      .then(() => this.metrics.sent(this.clock.now() - item.createdAt))
      .catch((error: unknown) => this.logger.error({ err: error, accountId: item.accountId, outboxId: item.id }, 'could not record a sent message'));
  }

  /** What the item sends: its text, or its stored file, opened from the blob store by each attempt. */
  private contentOf(item: OutboxItem): OutgoingContent {
    if (!item.media) return { text: item.text };
    const { sha256 } = item.media;
    const open = async () => {
      const bytes = await this.blobs.open(sha256);
      if (!bytes) throw new SendFailure(missingMediaDetail(sha256), true, 'media_missing');
      return bytes;
    };
    return { media: { ...item.media, open } };
  }

  /** Its file is not in the blob store: no attempt can ever send it. */
  private async failMissingMedia(item: OutboxItem, claim: Claim, media: SentMedia): Promise<void> {
    const ended = await this.outbox.markFailed(claim, failureOf('rejected', missingMediaDetail(media.sha256)), this.clock.now()).catch((error: unknown) => {
      // Left to its lease: the next round finds the file missing again.
      this.logger.error({ err: error, accountId: item.accountId, outboxId: item.id }, 'could not fail a send whose file is gone');
      return false;
    });
    if (!ended) return;
    this.metrics.sendFailed('permanent');
    this.logger.warn({ accountId: item.accountId, outboxId: item.id, sha256: media.sha256 }, 'media send failed: its stored file is gone');
  }

  /** Not sent, so not an attempt: back to the queue as it was; a later round claims it afresh. */
  private async giveBack(item: OutboxItem, claim: Claim, short: 'claim' | 'account'): Promise<void> {
    this.logger.warn({ accountId: item.accountId, outboxId: item.id, lease: short }, 'lease too short to send; claim given back');
    await this.recorded(item, () => this.outbox.releaseUnsent(claim, this.clock.now())).catch((error: unknown) =>
      // Left to its lease: another round reclaims it then.
      this.logger.error({ err: error, accountId: item.accountId, outboxId: item.id }, 'could not give a claim back'),
    );
  }

  /**
   * WhatsApp limited the account, not this message: the account pauses (set before anything is awaited,
   * so no round claims for it meanwhile) and the item goes back as it was, its attempt not counted; it
   * goes after the pause with the same WhatsApp id.
   */
  private async pausedBy(item: OutboxItem, claim: Claim, limit: AccountLimit): Promise<void> {
    const paused = this.pauses.pause(item.accountId, limit);
    await Promise.all([paused, this.outbox.releaseUnsent(claim, this.clock.now())]);
  }

  /** Accepted while the account was linked to another phone: it never leaves from this one. */
  private async failRelinked(item: OutboxItem, claim: Claim, phone: string | null): Promise<void> {
    const failure = failureOf('accountRelinked', `accepted while linked to ${item.boundPhone}; now linked to ${phone ?? 'an unknown phone'}`);
    const ended = await this.recorded(item, () => this.outbox.markFailed(claim, failure, this.clock.now())).catch((error: unknown) => {
      // Left to its lease: the next round finds it bound to another phone again.
      this.logger.error({ err: error, accountId: item.accountId, outboxId: item.id }, 'could not fail a relinked send');
      return false;
    });
    if (!ended) return;
    this.metrics.sendFailed('permanent');
    this.logger.warn({ accountId: item.accountId, outboxId: item.id }, 'send bound to the phone linked before: failed, not sent');
  }

  private async recordFailure(item: OutboxItem, claim: Claim, error: unknown): Promise<void> {
    const failure = error instanceof SendFailure ? error : new SendFailure(error instanceof Error ? error.message : String(error), false);
    const now = this.clock.now();
    const reason = failure.code ? `${failure.message} (code ${failure.code})` : failure.message;
    if (failure.limit) return this.pausedBy(item, claim, failure.limit);
    // Refused when the claim was lost or a receipt proved WhatsApp has the message: nothing failed then.
    if (failure.permanent || item.attempts >= this.config.outboxMaxAttempts) {
      const ending = failure.permanent ? failureOf('rejected', reason) : failureOf('maxAttempts', `gave up after ${item.attempts} attempts: ${reason}`);
      if (!(await this.recorded(item, () => this.outbox.markFailed(claim, ending, now)))) return;
      this.metrics.sendFailed(failure.permanent ? 'permanent' : 'gave_up');
      this.logger.warn({ accountId: item.accountId, outboxId: item.id, attempts: item.attempts, permanent: failure.permanent, reason }, 'send failed for good');
      return;
    }
    if (await this.recorded(item, () => this.outbox.release(claim, reason, now + backoffDelay(item.attempts, RETRY_BACKOFF), now))) this.metrics.sendFailed('transient');
  }

  /**
   * An attempt's outcome, written again after a store error while the claim's lease lasts (a Firestore
   * outage, a transaction aborted by contention): dropped, the item would wait out its lease in
   * `processing` (the thread's later sends behind it) and a send WhatsApp took would go out again.
   */
  private recorded<T>(item: OutboxItem, write: () => Promise<T>): Promise<T> {
    return untilStored(write, () => this.clock.now() < item.leaseUntil!, (error) =>
      this.logger.warn({ accountId: item.accountId, outboxId: item.id, reason: (error as Error)?.message }, 'the store did not take an attempt\'s outcome; trying again'),
    );
  }
}

function missingMediaDetail(sha256: string): string {
  return `media: the stored file ${sha256} is gone from the blob store`;
}
