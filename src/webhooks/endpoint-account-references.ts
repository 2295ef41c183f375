import { Injectable, Optional } from '@nestjs/common';
import { AccountReferences } from '../accounts/account-references';
import { WebhookDispatcher } from './webhook-dispatcher.service';
import { WebhookEndpointRepository } from './webhook-endpoint.repository';

/**
 * A deleted account leaves every endpoint's list; one left with none is disabled (webhook-endpoint.ts
 * `withoutAccount`). The log is fanned out first, so the account's last events (`account.deleted`
 * among them) still reach the endpoints that listed it.
 */
@Injectable()
export class EndpointAccountReferences extends AccountReferences {
  constructor(
    private readonly endpoints: WebhookEndpointRepository,
    @Optional() private readonly dispatcher?: WebhookDispatcher,
  ) {
    super();
  }

  async forget(accountId: string, now: number): Promise<void> {
    await this.dispatcher?.catchUp();
    await this.endpoints.removeAccount(accountId, now);
  }
}
