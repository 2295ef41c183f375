import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { EventLog } from './event-log.repository';

const HOUR_MS = 60 * 60 * 1000;
const PURGE_BATCH = 500;

/** Deletes events older than EVENT_RETENTION_DAYS (sqlite only; Firestore's TTL does it there), at start and hourly. */
@Injectable()
export class EventRetention implements OnApplicationBootstrap {
  private readonly logger = new Logger('EventRetention');
  private running: Promise<number> | null = null;

  constructor(
    private readonly log: EventLog,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    void this.purgeExpired();
  }

  @Interval(HOUR_MS)
  purgeExpired(): Promise<number> {
    this.running ??= this.purgeAll().finally(() => (this.running = null));
    return this.running;
  }

  private async purgeAll(): Promise<number> {
    const before = this.clock.now() - this.config.eventRetentionDays * 24 * HOUR_MS;
    let total = 0;
    try {
      for (let deleted = PURGE_BATCH; deleted === PURGE_BATCH; total += deleted) deleted = await this.log.purgeBefore(before, PURGE_BATCH);
    } catch (error) {
      this.logger.warn({ err: error, deleted: total }, 'purging old events failed; the next run tries again');
    }
    if (total > 0) this.logger.log({ deleted: total }, 'events past retention deleted');
    return total;
  }
}
