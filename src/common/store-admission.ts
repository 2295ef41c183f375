import { FastifyInstance } from 'fastify';
import { StoreQueueFull } from './errors';
import { replyWithError } from './http-errors';

/** The store's side of admission: the sqlite store worker (`StoreQueueLimits`). */
export interface AdmittingStore {
  readonly limits: { request: number };
  admitsRequest(): boolean;
}

/**
 * An API request starts only while the store has room for it: refused here, before any route code, it
 * has read and written nothing, and the client retries after `Retry-After`. Probes, metrics and the docs
 * are never refused (readiness answers by its own store call).
 */
export function admitWhileStoreHasRoom(fastify: FastifyInstance, store: AdmittingStore): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    if (!request.url.startsWith('/api/') || store.admitsRequest()) return done();
    replyWithError(reply, new StoreQueueFull(store.limits.request));
  });
}
