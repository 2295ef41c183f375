import { FastifyInstance } from 'fastify';

/**
 * Many HTTP clients send `content-type: application/json` (or their default type) on every request, an
 * empty body included; Fastify then runs that type's parser, which refuses an empty JSON body (400) and
 * answers 415 for a type it has no parser for. A request that says it carries nothing is parsed as
 * carrying nothing, whatever its type: a route that takes no body accepts it, and a route that takes one
 * sees no body and answers 400 naming the missing fields, as it does for a request without the header.
 */
export function acceptEmptyBodies(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, _reply, done) => {
    const { headers } = request;
    // Without content-length or transfer-encoding a request has no body (RFC 9112 §6.3): Node's fetch
    // sends a DELETE with an empty body that way. Fastify's own test for "no body", minus the type.
    const length = headers['content-length'];
    if (headers['content-type'] !== undefined && headers['transfer-encoding'] === undefined && (length === undefined || length === '0')) {
      delete headers['content-type'];
    }
    done();
  });
}
