import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { BatchedPurge } from '../common/batched-purge';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { WebhookDeliveries } from './webhook-deliveries.repository';

const HOUR_MS = 60 * 60 * 1000;

/** Ended delivery items and attempts are kept as long as the events (EVENT_RETENTION_DAYS), then deleted hourly. */
@Injectable()
export class WebhookRetention implements OnApplicationBootstrap {
  private readonly logger = new Logger('WebhookRetention');
  private readonly purge: BatchedPurge;

  constructor(deliveries: WebhookDeliveries, clock: Clock, config: AppConfig) {
    this.purge = new BatchedPurge(500, (limit) => deliveries.purgeBefore(clock.now() - config.eventRetentionDays * 24 * HOUR_MS, limit));
  }

  onApplicationBootstrap(): void {
    void this.purgeExpired();
  }

  @Interval(HOUR_MS)
  async purgeExpired(): Promise<number> {
    const { deleted, error } = await this.purge.run();
    if (error) this.logger.warn({ err: error, deleted }, 'purging old webhook deliveries failed; the next run tries again');
    else if (deleted > 0) this.logger.log({ deleted }, 'webhook deliveries past retention deleted');
    return deleted;
  }
}
