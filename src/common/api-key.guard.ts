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
    const key = this.keys.check(context.switchToHttp().getRequest<FastifyRequest>());
    if (key === 'missing') throw new UnauthorizedException('x-api-key: missing; send the API key in x-api-key or Authorization: Bearer');
    if (key === 'refused') throw new UnauthorizedException('x-api-key: not a valid API key');
    return true;
  }
}
