import fastifyRateLimit, { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import { HttpException, HttpStatus } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ApiKeys } from '../access/api-keys';
import { MINUTE_MS } from './rate-limit.module';
import { SlidingWindowStore } from './sliding-window.store';

/**
 * RATE_LIMIT_PER_MINUTE requests per API key over all `/api` routes together, as a Fastify onRequest
 * hook (@fastify/rate-limit): ~4 µs of CPU a request, where the Nest guard before it (@nestjs/throttler:
 * reflector lookups, a chain of awaits, three headers) took ~21 µs. Must run before `app.init()`, which
 * adds Nest's routes: the plugin hooks each route as it is added.
 *
 * The hook runs before the API-key guard, so it names its bucket after the key only when it is one we
 * accept, admin or account key (by its hash, never the raw key); requests without such a key share their client address's
 * bucket, so keys guessed at random cannot fill the limiter's memory.
 */
export async function limitEachApiKey(app: NestFastifyApplication, perMinute: number): Promise<void> {
  const keys = app.get(ApiKeys);
  const refusal = `x-api-key: more than ${perMinute} requests in ${MINUTE_MS / 1000} s with this API key; retry after the Retry-After seconds`;
  // Probes, the scraper and the docs are never limited: routes outside /api get no limiter hook at all.
  app.getHttpAdapter().getInstance().addHook('onRoute', (route) => {
    if (!isApiRoute(route.url)) route.config = { ...route.config, rateLimit: false };
  });
  await app.register(fastifyRateLimit, {
    max: perMinute,
    timeWindow: MINUTE_MS,
    store: theStore(app.get(SlidingWindowStore)),
    keyGenerator: async (request) => {
      const key = await keys.check(request);
      return typeof key === 'object' ? `key:${key.hash}` : `address:${request.ip}`;
    },
    // An HttpException, so HttpErrorFilter answers it in our shape; the plugin has set Retry-After.
    errorResponseBuilder: () => new HttpException(refusal, HttpStatus.TOO_MANY_REQUESTS),
    // Only Retry-After, on a 429: the three X-RateLimit-* headers on every answer cost 3-6 µs a request.
    addHeadersOnExceeding: { 'x-ratelimit-limit': false, 'x-ratelimit-remaining': false, 'x-ratelimit-reset': false },
    addHeaders: { 'x-ratelimit-limit': false, 'x-ratelimit-remaining': false, 'x-ratelimit-reset': false, 'retry-after': true },
  });
}

function isApiRoute(url: string): boolean {
  return url === '/api' || url.startsWith('/api/');
}

/** The plugin builds its store itself (`new Store(options)`); a constructor returning ours hands it the one Nest holds. */
function theStore(store: FastifyRateLimitStore): FastifyRateLimitStoreCtor {
  return function SharedStore() {
    return store;
  } as unknown as FastifyRateLimitStoreCtor;
}
