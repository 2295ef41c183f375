import { SetMetadata, applyDecorators } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiExtension } from '@nestjs/swagger';
import { Scope } from './account-key';

export const PUBLIC_ROUTE = 'public-route';

/** Where a route names its account: `param.accountId`, `body.accountId`, `query.accountId`. */
export type AccountSource = `${'param' | 'body' | 'query'}.${string}`;

/**
 * A route's one access rule. `account`: the field naming the account; `thread`: a thread id whose account
 * counts. Neither: the route narrows what it answers to the caller's accounts itself (lists, events, webhooks).
 */
export interface AccessRule {
  scope: Scope | 'admin';
  account?: AccountSource;
  thread?: AccountSource;
}

/** Probes and scrapers (health, metrics) need no key. */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

/** A route's rule as Fastify holds it: the guard reads it from the route it serves, the route-table test from Fastify's table. */
export interface AccessRouteConfig {
  access?: AccessRule;
}

/**
 * The scope a route needs (`admin`: an admin key only) and where it names its account; kept in the Fastify
 * route's own config, so a route in Fastify's table without one is seen (test/e2e/access-rules.spec.ts);
 * the OpenAPI document shows the scope as `x-scope`.
 */
export const Access = (scope: AccessRule['scope'], from: Omit<AccessRule, 'scope'> = {}) =>
  applyDecorators(RouteConfig({ access: { scope, ...from } } satisfies AccessRouteConfig), ApiExtension('x-scope', scope));
