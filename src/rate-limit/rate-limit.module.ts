import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { ApiKeyThrottlerGuard } from './api-key-throttler.guard';
import { SlidingWindowStorage } from './sliding-window.storage';

const MINUTE_MS = 60_000;

/**
 * RATE_LIMIT_PER_MINUTE requests per API key on `/api` routes, over a sliding minute, in this process's
 * memory: each instance counts its own share. 0 registers no guard at all.
 */
@Module({})
export class RateLimitModule {
  static perMinute(limit: number): DynamicModule {
    if (limit === 0) return { module: RateLimitModule };
    return {
      module: RateLimitModule,
      // Over the limit a key waits until the window has room again (Retry-After), never a whole extra block.
      imports: [ThrottlerModule.forRoot({ throttlers: [{ ttl: MINUTE_MS, limit }], storage: new SlidingWindowStorage(MINUTE_MS) })],
      providers: [{ provide: APP_GUARD, useClass: ApiKeyThrottlerGuard }],
    };
  }
}
