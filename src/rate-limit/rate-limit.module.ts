import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { ApiKeyThrottlerGuard } from './api-key-throttler.guard';

const MINUTE_MS = 60_000;

/**
 * RATE_LIMIT_PER_MINUTE requests per API key on `/api` routes, a sliding minute, in this process's
 * memory (each instance counts its own share). 0 registers no guard at all.
 */
@Module({})
export class RateLimitModule {
  static perMinute(limit: number): DynamicModule {
    if (limit === 0) return { module: RateLimitModule };
    return {
      module: RateLimitModule,
      // blockDuration 0: over the limit, a key waits until its oldest request leaves the window, not a whole extra minute.
      imports: [ThrottlerModule.forRoot({ throttlers: [{ ttl: MINUTE_MS, limit, blockDuration: 0 }] })],
      providers: [{ provide: APP_GUARD, useClass: ApiKeyThrottlerGuard }],
    };
  }
}
