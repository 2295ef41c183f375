import { Injectable } from '@nestjs/common';

/** Time as a dependency, so leases and backoff are tested by moving a fake clock instead of sleeping. */
@Injectable()
export class Clock {
  now(): number {
    return Date.now();
  }
}
