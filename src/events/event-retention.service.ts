import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { BatchedPurge } from '../common/batched-purge';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { EventLog } from './event-log.repository';

const HOUR_MS = 60 * 60 * 1000;

/** Deletes events older than EVENT_RETENTION_DAYS (sqlite only; Firestore's TTL does it there), at start and hourly. */
@Injectable()
export class EventRetention implements OnApplicationBootstrap {
  private readonly logger = new Logger('EventRetention');
  private readonly purge: BatchedPurge;

  constructor(log: EventLog, clock: Clock, config: AppConfig) {
    this.purge = new BatchedPurge(500, (limit) => log.purgeBefore(clock.now() - config.eventRetentionDays * 24 * HOUR_MS, limit));
  }

  onApplicationBootstrap(): void {
    void this.purgeExpired();
  }

  @Interval(HOUR_MS)
  async purgeExpired(): Promise<number> {
    const { deleted, error } = await this.purge.run();
    if (error) this.logger.warn({ err: error, deleted }, 'purging old events failed; the next run tries again');
    else if (deleted > 0) this.logger.log({ deleted }, 'events past retention deleted');
    return deleted;
  }
}
