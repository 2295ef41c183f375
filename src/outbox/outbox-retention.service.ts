import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
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
  private running: Promise<number> | null = null;

  constructor(
    private readonly ended: EndedOutboxItems,
    private readonly clock: Clock,
    private readonly metrics: MetricsRecorder,
  ) {}

  onApplicationBootstrap(): void {
    void this.purgeExpired();
  }

  /** Resolves with how many items were deleted; one run at a time, a failure is logged and left to the next hour. */
  @Interval(HOUR_MS)
  purgeExpired(): Promise<number> {
    this.running ??= this.purgeAll().finally(() => (this.running = null));
    return this.running;
  }

  private async purgeAll(): Promise<number> {
    const endedBefore = this.clock.now() - OUTBOX_RETENTION_MS;
    let total = 0;
    try {
      for (;;) {
        const deleted = await this.ended.purge(endedBefore, PURGE_BATCH);
        this.metrics.outboxItemsPurged(deleted);
        total += deleted;
        if (deleted < PURGE_BATCH) break;
      }
    } catch (error) {
      this.logger.warn({ err: error, deleted: total }, 'purging ended outbox items failed; the next run tries again');
      return total;
    }
    if (total > 0) this.logger.log({ deleted: total, endedBefore: new Date(endedBefore).toISOString() }, 'ended outbox items past retention deleted');
    return total;
  }
}
