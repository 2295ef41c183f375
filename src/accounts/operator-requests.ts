import { Injectable, Logger } from '@nestjs/common';
import { AccountRecord, pendingReconnect, pendingReset } from './account';
import { AccountConnections } from './account-connections.service';
import { AccountAction } from './account.repository';
import { LiveAccount } from './live-account';

type Requests = Pick<AccountRecord, 'reconnectRequestedAt' | 'resetRequestedAt' | 'reconnectDoneFor' | 'resetDoneFor'>;

/**
 * Performs operator requests (reconnect, reset) on the instance holding the account, exactly once per
 * request: each is recorded in the store when asked, whoever holds the account; the holder takes it up
 * from there (at once when the HTTP call landed on it, else at its next renewal, or when it takes the
 * account) and records it done in a write fenced by its epoch. Jobs run beside the renewals, one at a
 * time per account: a reset waiting on a slow logout holds up no other account's lease.
 */
@Injectable()
export class OperatorRequests {
  private readonly logger = new Logger('OperatorRequests');

  constructor(private readonly connections: AccountConnections) {}

  /** Takes up the account's pending request, if this holder has not yet (a reset before a reconnect). */
  performPending(live: LiveAccount, account: Requests): Promise<void> {
    const reset = pendingReset(account);
    if (reset !== null) return this.perform(live, 'reset', reset);
    const reconnect = pendingReconnect(account);
    if (reconnect !== null) return this.perform(live, 'reconnect', reconnect);
    return live.operatorJob;
  }

  /** Resolves once the request is performed (or found already taken up, once that job is done). */
  perform(live: LiveAccount, action: AccountAction, requestedAt: number): Promise<void> {
    const handled = action === 'reset' ? 'handledResetAt' : 'handledReconnectAt';
    if (live[handled] === requestedAt) return live.operatorJob;
    live[handled] = requestedAt;
    const job = () => (action === 'reset' ? this.connections.reset(live, requestedAt) : this.connections.reconnect(live, requestedAt));
    live.operatorJob = live.operatorJob.then(job).catch((error: unknown) => {
      // Still pending in the store: the next renewal takes it up again.
      if (live[handled] === requestedAt) live[handled] = null;
      this.logger.error({ err: error, accountId: live.accountId, action }, 'operator request failed; retried at the next renewal');
    });
    return live.operatorJob;
  }
}
