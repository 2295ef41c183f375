import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { AccountNotFound } from '../common/errors';
import { assertAccountId } from '../common/ids';
import { Page, PageRequest } from '../common/page';
import { AccountRecord, newAccount } from './account';
import { AccountRepository } from './account.repository';

@Injectable()
export class AccountsService {
  constructor(
    private readonly accounts: AccountRepository,
    private readonly clock: Clock,
  ) {}

  async create(accountId: string, name: string | null): Promise<AccountRecord> {
    const account = newAccount(assertAccountId(accountId), name, this.clock.now());
    await this.accounts.create(account);
    return account;
  }

  list(page: PageRequest): Promise<Page<AccountRecord>> {
    return this.accounts.list(page);
  }

  async get(accountId: string): Promise<AccountRecord> {
    const account = await this.accounts.get(assertAccountId(accountId));
    if (!account) throw new AccountNotFound(accountId);
    return account;
  }

  async delete(accountId: string): Promise<void> {
    if (!(await this.accounts.delete(assertAccountId(accountId)))) throw new AccountNotFound(accountId);
  }
}
