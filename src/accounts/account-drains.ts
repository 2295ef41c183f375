import { Injectable } from '@nestjs/common';

/**
 * How an account's work in flight is waited for before it is handed to another instance. The kinds of
 * work done through an account's socket (the outbox's sends) register here, so accounts never imports them.
 */
@Injectable()
export class AccountDrains {
  private readonly drains: Array<(accountId: string) => Promise<void>> = [];

  /** `drain` resolves once none of the account's attempts is in flight and none will start. */
  register(drain: (accountId: string) => Promise<void>): void {
    this.drains.push(drain);
  }

  async drained(accountId: string): Promise<void> {
    await Promise.all(this.drains.map((drain) => drain(accountId)));
  }
}
