import { Injectable } from '@nestjs/common';
import { AccountKeyRepository } from './access/account-key.repository';
import { AccountReferences } from './accounts/account-references';
import { EndpointAccountReferences } from './webhooks/endpoint-account-references';

/** Every record outside accounts/ that names an account: webhook endpoints and account keys, forgotten in turn. */
@Injectable()
export class EveryAccountReference extends AccountReferences {
  constructor(
    private readonly endpoints: EndpointAccountReferences,
    private readonly keys: AccountKeyRepository,
  ) {
    super();
  }

  async forget(accountId: string, now: number): Promise<void> {
    await this.endpoints.forget(accountId, now);
    await this.keys.removeAccount(accountId);
  }
}
