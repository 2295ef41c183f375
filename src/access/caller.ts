import { ExecutionContext, createParamDecorator } from '@nestjs/common';
import { FastifyRequest } from 'fastify';
import { Scope } from './account-key';

/** Who a request is: an admin key (everything), or an account key (its accounts, its scopes). */
export type Caller = { readonly admin: true } | AccountKeyCaller;

export interface AccountKeyCaller {
  readonly admin: false;
  readonly keyId: string;
  readonly accountIds: readonly string[];
  readonly scopes: readonly Scope[];
}

export const ADMIN: Caller = { admin: true };

const callers = new WeakMap<FastifyRequest, Caller>();

/** The access guard records who the request is; routes read it with `@CurrentCaller()`. */
export function recordCaller(request: FastifyRequest, caller: Caller): void {
  callers.set(request, caller);
}

export function callerOf(request: FastifyRequest): Caller {
  return callers.get(request) ?? ADMIN;
}

/** The accounts a caller reaches: null for every account (an admin). */
export function reachOf(caller: Caller): ReadonlySet<string> | null {
  return caller.admin ? null : new Set(caller.accountIds);
}

export function mayReach(caller: Caller, accountId: string): boolean {
  return caller.admin || caller.accountIds.includes(accountId);
}

export const CurrentCaller = createParamDecorator((_data: unknown, context: ExecutionContext): Caller => callerOf(context.switchToHttp().getRequest<FastifyRequest>()));
