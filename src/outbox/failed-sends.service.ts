import { Injectable } from '@nestjs/common';
import { AccountNotFound, ConflictWithState, InvalidInput, NotAvailable } from '../common/errors';
import { REQUEST_ID_RULE, assertAccountId, isRequestId } from '../common/ids';
import { Clock } from '../common/clock';
import { Page, PageRequest } from '../common/page';
import { AccountRepository } from '../accounts/account.repository';
import { OutboxItem, OutboxStatus } from './outbox-item';
import { OutboxRepository } from './outbox.repository';

/** What an operator does about sends: look at an account's items (its failures first of all) and retry a failed one. */
@Injectable()
export class FailedSends {
  constructor(
    private readonly outbox: OutboxRepository,
    private readonly accounts: AccountRepository,
    private readonly clock: Clock,
  ) {}

  async list(accountId: string, status: OutboxStatus | undefined, page: PageRequest): Promise<Page<OutboxItem>> {
    if (!(await this.accounts.get(accountId))) throw new AccountNotFound(accountId);
    return this.outbox.list(accountId, status, page);
  }

  async retry(accountId: string, requestId: string): Promise<OutboxItem> {
    assertAccountId(accountId);
    if (!isRequestId(requestId)) throw new InvalidInput('requestId', `must be ${REQUEST_ID_RULE}`);
    const outcome = await this.outbox.retryFailed(accountId, requestId, this.clock.now());
    if (outcome.kind === 'queued') return outcome.item;
    if (outcome.kind === 'notFailed') throw new ConflictWithState('status', `send "${requestId}" is ${outcome.status}; only a failed send is retried`);
    if (!(await this.accounts.get(accountId))) throw new AccountNotFound(accountId);
    throw new NotAvailable('requestId', `no send "${requestId}" on account "${accountId}"`);
  }
}
