import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { PeriodicJob } from '../common/periodic-job';
import { AppConfig } from '../config/app-config';
import { Clock } from '../common/clock';
import { AccountPurges } from './account-purges';
import { AccountReferences } from './account-references';

/** Records per step: one Firestore commit (at most 500 writes), and a short sqlite write. */
const PURGE_BATCH = 400;
/** Purges looked at per pass. */
const PURGES_PER_PASS = 20;

/**
 * Removes what deleted accounts left behind (see AccountPurges), in bounded steps, in the background:
 * right after a delete, at start (a purge cut short by a crash resumes) and every lease period (one
 * whose instance died resumes elsewhere). Steps are idempotent, so instances may overlap.
 */
@Injectable()
export class AccountPurger implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('AccountPurger');
  private readonly passes: PeriodicJob;
  private running: Promise<void> | null = null;
  private again = false;
  private stopping = false;

  constructor(
    private readonly purges: AccountPurges,
    private readonly references: AccountReferences,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    scheduler: SchedulerRegistry,
  ) {
    this.passes = new PeriodicJob(scheduler, 'account-purges');
  }

  onApplicationBootstrap(): void {
    this.passes.every(this.config.accountLeaseMs, () => this.purgeNow());
    this.purgeNow();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.passes.stop();
    await this.running;
  }

  /** Starts a pass, or another right after the one under way. */
  purgeNow(): void {
    if (this.stopping) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.pass()
      .catch((error: unknown) => this.logger.error({ err: error }, 'account purge failed; retried at the next pass'))
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.purgeNow();
        }
      });
  }

  /** Resolves once no pass runs (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async pass(): Promise<void> {
    for (const accountId of await this.purges.pending(PURGES_PER_PASS)) {
      // First: the last step frees the id, and a re-created account must find no endpoint naming it.
      await this.references.forget(accountId, this.clock.now());
      let removed = 0;
      for (let step; (step = await this.purges.purgeSome(accountId, PURGE_BATCH)) > 0 && !this.stopping; ) removed += step;
      this.logger.log({ accountId, removed }, 'deleted account purged');
    }
  }
}
