import { CanActivate, ExecutionContext, Injectable, SetMetadata, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { FastifyRequest } from 'fastify';
import { ApiKeys } from './api-keys';

const PUBLIC = 'public-route';
/** Probes and scrapers (health, metrics) need no key. */
export const Public = () => SetMetadata(PUBLIC, true);

/** Every `/api` route needs a key: `x-api-key`, or `Authorization: Bearer <key>`. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly keys: ApiKeys,
    private readonly reflector: Reflector,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, [context.getHandler(), context.getClass()])) return true;
    if (!this.keys.required) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const presented = presentedKey(request);
    if (presented === undefined) throw new UnauthorizedException('x-api-key: missing; send the API key in x-api-key or Authorization: Bearer');
    if (!this.keys.accepts(presented)) throw new UnauthorizedException('x-api-key: not a valid API key');
    return true;
  }
}

/** The key a request presents: `x-api-key`, or `Authorization: Bearer <key>`. */
export function presentedKey(request: FastifyRequest): string | undefined {
  const header = request.headers['x-api-key'];
  if (typeof header === 'string' && header.length > 0) return header;
  const authorization = request.headers.authorization;
  const bearer = typeof authorization === 'string' ? /^Bearer\s+(\S+)$/i.exec(authorization) : null;
  return bearer?.[1];
}
