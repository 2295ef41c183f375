import { Injectable, Logger } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { Clock } from '../common/clock';
import { BlobStore } from './blob-store';

/** An upload untouched this long was given up: by a client that hung up, or a process that died mid-upload. */
export const ABANDONED_UPLOAD_MS = 60 * 60 * 1000;
const SWEEP_EVERY_MS = 15 * 60 * 1000;

/**
 * Removes abandoned uploads (CONTRACT "Media messages": over 1 h) every 15 minutes, so a crash
 * mid-upload does not keep its bytes forever. Not at start: nothing there is an hour old that the first
 * run misses by more than 15 minutes, and a start makes no Cloud Storage call it does not need. Every
 * instance may run it: an upload two sweeps both find is removed by one, and the other finds nothing.
 */
@Injectable()
export class UploadSweep {
  private readonly logger = new Logger('UploadSweep');

  constructor(
    private readonly blobs: BlobStore,
    private readonly clock: Clock,
  ) {}

  /** How many uploads were removed; a failure is logged and left to the next run. */
  @Interval(SWEEP_EVERY_MS)
  async sweep(): Promise<number> {
    try {
      const removed = await this.blobs.sweepAbandoned(this.clock.now() - ABANDONED_UPLOAD_MS);
      if (removed > 0) this.logger.log({ removed }, 'abandoned media uploads removed');
      return removed;
    } catch (error) {
      this.logger.warn({ err: error }, 'sweeping abandoned media uploads failed; the next run tries again');
      return 0;
    }
  }
}
