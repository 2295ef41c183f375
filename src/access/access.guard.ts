import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { FastifyRequest } from 'fastify';
import { AccountNotFound } from '../common/errors';
import { isAccountId } from '../common/ids';
import { splitThreadId } from '../common/jid';
import { AccessRouteConfig, AccessRule, AccountSource, PUBLIC_ROUTE } from './access.decorator';
import { ApiKeys } from './api-keys';
import { Caller, recordCaller } from './caller';

/**
 * The one authorization rule, for every route: a key (401 without one we accept), then the route's
 * `@Access` rule. An admin key passes every rule. An account key naming an account outside its own gets
 * exactly the 404 an unknown account gets, so it never learns that the account exists; inside them, a
 * missing scope is a 403 naming it. A route with no rule is an admin's only.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly keys: ApiKeys,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, [context.getHandler(), context.getClass()])) return true;
    if (!this.keys.required) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const key = await this.keys.check(request);
    if (key === 'missing') throw new UnauthorizedException('x-api-key: missing; send the API key in x-api-key or Authorization: Bearer');
    if (key === 'refused') throw new UnauthorizedException('x-api-key: not a valid API key');
    recordCaller(request, key.caller);
    if (key.caller.admin) return true;
    const rule = (request.routeOptions.config as AccessRouteConfig).access;
    if (!rule) throw new ForbiddenException('scope: this route needs an admin key');
    const accountId = accountOf(request, rule);
    if (accountId !== undefined && !key.caller.accountIds.includes(accountId)) throw new AccountNotFound(accountId);
    assertScope(key.caller, rule.scope);
    return true;
  }
}

function assertScope(caller: Exclude<Caller, { admin: true }>, scope: AccessRule['scope']): void {
  if (scope === 'admin') throw new ForbiddenException('scope: this route needs an admin key');
  if (!caller.scopes.includes(scope)) {
    throw new ForbiddenException(`scope: this route needs the "${scope}" scope; key ${caller.keyId} has ${caller.scopes.join(', ')}`);
  }
}

/**
 * The account the request names. Undefined when it names none the store could hold (absent, or not an
 * account id): the route's own validation answers those, and no account can be reached through them.
 */
function accountOf(request: FastifyRequest, rule: AccessRule): string | undefined {
  if (rule.thread) return splitThreadId(fieldOf(request, rule.thread))?.accountId;
  if (!rule.account) return undefined;
  const value = fieldOf(request, rule.account);
  return isAccountId(value) ? value : undefined;
}

function fieldOf(request: FastifyRequest, source: AccountSource): unknown {
  const [part, field] = source.split('.', 2) as ['param' | 'body' | 'query', string];
  const holder = { param: request.params, body: request.body, query: request.query }[part];
  return typeof holder === 'object' && holder !== null ? (holder as Record<string, unknown>)[field] : undefined;
}
