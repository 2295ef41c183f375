import { DynamicModule, Module } from '@nestjs/common';
import { SlidingWindowStore } from './sliding-window.store';

export const MINUTE_MS = 60_000;

/**
 * Holds the per-key counts of the rate limit (`limitEachApiKey`, registered on Fastify by createApp), in
 * this process's memory: each instance counts its own share. RATE_LIMIT_PER_MINUTE=0 registers nothing.
 */
@Module({})
export class RateLimitModule {
  static perMinute(limit: number): DynamicModule {
    if (limit === 0) return { module: RateLimitModule };
    return {
      module: RateLimitModule,
      // Over the limit a key waits until the window has room again (Retry-After), never a whole extra block.
      providers: [{ provide: SlidingWindowStore, useFactory: () => new SlidingWindowStore(MINUTE_MS) }],
    };
  }
}
