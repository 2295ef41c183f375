import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { BatchedPurge } from '../common/batched-purge';
import { Clock } from '../common/clock';
import { MetricsRecorder } from '../metrics/metrics-recorder';
import { EndedOutboxItems } from './ended-items.repository';
import { OUTBOX_RETENTION_MS } from './outbox-item';

const HOUR_MS = 60 * 60 * 1000;
/** Items deleted per transaction: each delete is short, so sends and claims never wait long behind it. */
export const PURGE_BATCH = 500;

/**
 * Deletes outbox items OUTBOX_RETENTION_MS after they ended (sqlite only; Firestore's TTL does it there),
 * at start and hourly, so the file does not grow with every message ever sent. Every instance may run
 * it: two deleting the same rows take turns on the write lock, and the second finds nothing.
 */
@Injectable()
export class OutboxRetention implements OnApplicationBootstrap {
  private readonly logger = new Logger('OutboxRetention');
  private readonly purge: BatchedPurge;

  constructor(ended: EndedOutboxItems, clock: Clock, metrics: MetricsRecorder) {
    this.purge = new BatchedPurge(PURGE_BATCH, async (limit) => {
      const deleted = await ended.purge(clock.now() - OUTBOX_RETENTION_MS, limit);
      metrics.outboxItemsPurged(deleted);
      return deleted;
    });
  }

  onApplicationBootstrap(): void {
    void this.purgeExpired();
  }

  /** Resolves with how many items were deleted; one run at a time, a failure is logged and left to the next hour. */
  @Interval(HOUR_MS)
  async purgeExpired(): Promise<number> {
    const { deleted, error } = await this.purge.run();
    if (error) this.logger.warn({ err: error, deleted }, 'purging ended outbox items failed; the next run tries again');
    else if (deleted > 0) this.logger.log({ deleted }, 'ended outbox items past retention deleted');
    return deleted;
  }
}
