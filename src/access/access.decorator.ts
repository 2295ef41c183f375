import { SetMetadata } from '@nestjs/common';
import { Scope } from './account-key';

export const PUBLIC_ROUTE = 'public-route';
export const ACCESS_RULE = 'access-rule';

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

/** The scope a route needs (`admin`: an admin key only) and where it names its account. */
export const Access = (scope: AccessRule['scope'], from: Omit<AccessRule, 'scope'> = {}) => SetMetadata(ACCESS_RULE, { scope, ...from } satisfies AccessRule);
