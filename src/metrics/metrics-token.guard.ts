import { createHash, timingSafeEqual } from 'node:crypto';
import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { FastifyRequest } from 'fastify';
import { AppConfig } from '../config/app-config';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * `/metrics` with METRICS_TOKEN set: `Authorization: Bearer {token}`, compared in constant time. The token
 * is no API key (scrapers hold it, apps never do), and an API key opens nothing here.
 */
@Injectable()
export class MetricsTokenGuard implements CanActivate {
  private readonly token: Buffer | null;

  constructor(config: AppConfig) {
    this.token = config.metricsToken === null ? null : digest(config.metricsToken);
  }

  canActivate(context: ExecutionContext): boolean {
    if (this.token === null) return true;
    const header = context.switchToHttp().getRequest<FastifyRequest>().headers.authorization;
    const presented = header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : undefined;
    if (presented === undefined) throw new UnauthorizedException('authorization: send the metrics token as Authorization: Bearer (METRICS_TOKEN is set)');
    if (!timingSafeEqual(digest(presented), this.token)) throw new UnauthorizedException('authorization: not the metrics token');
    return true;
  }
}
