import { createHash } from 'node:crypto';
import { ExecutionContext, HttpException, HttpStatus, Injectable } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerLimitDetail } from '@nestjs/throttler';
import { FastifyRequest } from 'fastify';
import { presentedKey } from '../common/api-key.guard';

/**
 * Limits each API key across all `/api` routes together (Nest's default key is per route and per IP).
 * The bucket is named by a hash of the key, so the raw key never sits in the limiter's memory. Requests
 * without a key (INSECURE_NO_AUTH, or about to be refused) share their client address's bucket.
 */
@Injectable()
export class ApiKeyThrottlerGuard extends ThrottlerGuard {
  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    const url = context.switchToHttp().getRequest<FastifyRequest>().url;
    return !(url === '/api' || url.startsWith('/api/') || url.startsWith('/api?'));
  }

  protected override async getTracker(request: Record<string, any>): Promise<string> {
    const key = presentedKey(request as FastifyRequest);
    return key === undefined ? `address:${(request as FastifyRequest).ip}` : `key:${createHash('sha256').update(key).digest('hex')}`;
  }

  protected override generateKey(_context: ExecutionContext, tracker: string, throttlerName: string): string {
    return `${throttlerName}:${tracker}`;
  }

  /** Our error shape; `retryAfter` becomes the `Retry-After` header in HttpErrorFilter. */
  protected override async throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const message = `x-api-key: more than ${detail.limit} requests in ${detail.ttl / 1000} s with this API key; retry after the Retry-After seconds`;
    throw new HttpException({ message, retryAfter: Math.max(1, detail.timeToBlockExpire) }, HttpStatus.TOO_MANY_REQUESTS);
  }
}
