import { ForbiddenException } from '@nestjs/common';
import { Caller, reachOf } from '../access/caller';
import { AccountNotFound, WebhookNotFound } from '../common/errors';
import { assertWebhookId } from '../common/ids';
import { WebhookEndpointRepository } from './webhook-endpoint.repository';

/**
 * What an account key (`manage`) may do with webhook endpoints: those whose every account is one of its
 * own. An endpoint of every account (accountIds null) is an admin's. Outside its reach a key gets the 404
 * an unknown endpoint (or account) gets, so it never learns what exists.
 */
export function endpointInReach(accountIds: readonly string[] | null, caller: Caller): boolean {
  const reach = reachOf(caller);
  return reach === null || (accountIds !== null && accountIds.every((id) => reach.has(id)));
}

/** A creation's or change's `accountIds` for the caller: an account key's default to its own (on creation), and must be within them. */
export function accountIdsFor<T extends string[] | null | undefined>(requested: T, caller: Caller, creating: boolean): T | string[] {
  if (caller.admin) return requested;
  if (requested === undefined) return creating ? [...caller.accountIds] : requested;
  if (requested === null) throw new ForbiddenException('scope: an endpoint of every account (accountIds null) needs an admin key');
  const outside = requested.find((id) => !caller.accountIds.includes(id));
  if (outside !== undefined) throw new AccountNotFound(outside);
  return requested;
}

/** Refuses, as an unknown endpoint, one outside the caller's reach; an unknown one is the route's to answer. */
export async function assertEndpointInReach(endpoints: WebhookEndpointRepository, webhookId: string, caller: Caller): Promise<void> {
  if (caller.admin) return;
  const endpoint = await endpoints.get(assertWebhookId(webhookId));
  if (endpoint && !endpointInReach(endpoint.accountIds, caller)) throw new WebhookNotFound(webhookId);
}
