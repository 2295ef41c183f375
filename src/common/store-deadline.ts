import { CallHandler, ExecutionContext, Injectable, NestInterceptor, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { FastifyReply, FastifyRequest } from 'fastify';
import { Observable } from 'rxjs';
import { AppConfig } from '../config/app-config';
import { StoreNoAnswer } from './errors';

const OUTLASTS_STORE_DEADLINE = 'outlastsStoreDeadline';

/**
 * A route that waits for something besides the store (a pairing code from another instance, an event
 * stream held open) and bounds that wait itself: the store deadline does not apply to it.
 */
export const OutlastsStoreDeadline = () => SetMetadata(OUTLASTS_STORE_DEADLINE, true);

/** The key a write was given on the server (none came with the request), so a 503 can name it. */
const givenKeys = new WeakMap<object, string>();

export function recordWriteKey(request: FastifyRequest, requestId: string): void {
  givenKeys.set(request, requestId);
}

/**
 * Every API request answers within STORE_DEADLINE_MS: a store that does not answer (Firestore paused,
 * sqlite locked past its busy timeout) costs a 503 with Retry-After, not a hung client. The route's work
 * is not cancelled (a store call cannot be taken back), so a write may commit after the 503: the answer
 * names its requestId, and idempotency makes the retry find that one write instead of making another.
 */
@Injectable()
export class StoreDeadlineInterceptor implements NestInterceptor {
  constructor(
    private readonly config: AppConfig,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const exempt = this.reflector.getAllAndOverride<boolean>(OUTLASTS_STORE_DEADLINE, [context.getHandler(), context.getClass()]);
    if (context.getType() !== 'http' || exempt || !request.url.startsWith('/api/')) return next.handle();
    const reply = http.getResponse<FastifyReply>();
    const deadlineMs = this.config.storeDeadlineMs;
    const write = request.method !== 'GET' && request.method !== 'HEAD';
    return new Observable((subscriber) => {
      // A reply already sent or taken over (an event stream) is past its store calls: the deadline is over.
      const timer = setTimeout(() => reply.sent || subscriber.error(new StoreNoAnswer(deadlineMs, write, write ? keyOf(request) : undefined)), deadlineMs);
      const handled = next.handle().subscribe(subscriber);
      return () => {
        clearTimeout(timer);
        handled.unsubscribe();
      };
    });
  }
}

/** The request's idempotency key: the body's requestId, the header, or the one the server gave it. */
function keyOf(request: FastifyRequest): string | undefined {
  const body = request.body as { requestId?: unknown } | undefined;
  if (typeof body?.requestId === 'string') return body.requestId;
  const header = request.headers['idempotency-key'];
  return typeof header === 'string' ? header : givenKeys.get(request);
}
