import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { MetricsRecorder } from '../metrics/metrics-recorder';
import { AccountLimit } from '../whatsapp/whatsapp-provider';
import { AccountRecord } from './account';
import { AccountConnections } from './account-connections.service';
import { PastPause, pauseFor } from './account-pause';
import { AccountRepository } from './account.repository';
import { LiveAccount } from './live-account';

/**
 * WhatsApp's limits on the accounts this instance holds: a send answered rate-overlimit (429) or with the
 * reach-out lock (463) pauses its account, in memory at once (the outbox claims nothing for it) and on
 * the record (`pausedUntil`, `pauseReason`, with an `account.status` event), and the holder resumes it by
 * itself at its end (another `account.status`). A new holder takes the pause over from the record.
 */
@Injectable()
export class AccountPauses {
  private readonly logger = new Logger('AccountPauses');
  /** Each account's last pause here, to tell a repeat (held only by this process: a new holder starts afresh). */
  private readonly last = new Map<string, PastPause>();

  constructor(
    private readonly connections: AccountConnections,
    private readonly accounts: AccountRepository,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly metrics: MetricsRecorder,
  ) {}

  /**
   * Pauses the account for `limit`; the sends already in flight meet the same limit, so a pause under way
   * is only made longer by an end WhatsApp gives. The in-memory pause is set before this first awaits.
   */
  async pause(accountId: string, limit: AccountLimit): Promise<void> {
    const live = this.connections.get(accountId);
    const now = this.clock.now();
    if (!live || (live.isPaused(now) && (limit.until === null || limit.until <= live.pausedUntil!))) return;
    const pause = pauseFor(limit, this.last.get(accountId), now, this.config.pauses);
    this.last.set(accountId, pause);
    this.pauseLive(live, pause.until, pause.reason);
    this.metrics.accountPaused(pause.reason);
    this.logger.warn({ accountId, reason: pause.reason, pausedForMs: pause.ms }, 'account paused by WhatsApp limits');
    await this.write(live, { pausedUntil: pause.until, pauseReason: pause.reason, updatedAt: now });
  }

  /** A freshly taken account whose record is paused (by an earlier holder): it stays paused to the same end. */
  adopted(live: LiveAccount, account: AccountRecord): void {
    if (account.pausedUntil !== null && account.pauseReason !== null) this.pauseLive(live, account.pausedUntil, account.pauseReason);
  }

  private pauseLive(live: LiveAccount, until: number, reason: NonNullable<AccountRecord['pauseReason']>): void {
    live.pause(until, reason, this.clock.now(), () => void this.resume(live));
  }

  private async resume(live: LiveAccount): Promise<void> {
    if (this.connections.get(live.accountId) !== live) return;
    live.endPause();
    this.logger.log({ accountId: live.accountId }, 'account resumed after its pause');
    // The outbox's next round (OUTBOX_POLL_MS) claims for it again.
    await this.write(live, { pausedUntil: null, pauseReason: null, updatedAt: this.clock.now() });
  }

  /** Fenced by the holding: a holder that lost the account writes nothing (the new holder has the record). */
  private async write(live: LiveAccount, patch: Parameters<AccountRepository['recordConnection']>[1]): Promise<void> {
    await this.accounts.recordConnection(live.holding, patch).catch((error: unknown) =>
      // The in-memory pause holds regardless; the record catches up at the next pause or resume.
      this.logger.error({ err: error, accountId: live.accountId }, 'could not record the pause'),
    );
  }
}
