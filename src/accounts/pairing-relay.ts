import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../common/clock';
import { AccountNotFound, NoAnswerInTime } from '../common/errors';
import { AppConfig } from '../config/app-config';
import { AccountRecord } from './account';
import { AccountConnections } from './account-connections.service';
import { AccountRepository } from './account.repository';
import { LiveAccount } from './live-account';

const POLL_MS = 250;
/** Beyond two renewal periods: the time WhatsApp may take to offer a login and answer the code request. */
const WHATSAPP_ALLOWANCE_MS = 10_000;

/**
 * A pairing code needs the socket, which only the account's holder has. Asked on another instance (a load
 * balancer picks any), the request goes through the account record: the holder sees it at its next
 * renewal, asks WhatsApp and writes the code back, fenced by its epoch; the asking instance waits for it.
 */
@Injectable()
export class PairingRelay {
  private readonly logger = new Logger('PairingRelay');
  /** How long the asking instance waits: two renewal periods (one may be in progress) plus WhatsApp's time. */
  readonly waitMs: number;

  constructor(
    private readonly accounts: AccountRepository,
    private readonly connections: AccountConnections,
    private readonly clock: Clock,
    config: AppConfig,
  ) {
    this.waitMs = Math.floor((config.accountLeaseMs / 3) * 2) + WHATSAPP_ALLOWANCE_MS;
  }

  /** The asking side: writes the request, then reads the account until the holder's answer to it is there. */
  async ask(account: AccountRecord, phoneNumber: string): Promise<string> {
    const requestedAt = this.clock.now();
    if (!(await this.accounts.requestPairing(account.accountId, phoneNumber, requestedAt))) throw new AccountNotFound(account.accountId);
    const deadline = Date.now() + this.waitMs;
    while (Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      const current = await this.accounts.get(account.accountId);
      if (!current) throw new AccountNotFound(account.accountId);
      if (current.pairingCodeFor === requestedAt && current.pairingCode !== null) return current.pairingCode;
    }
    const owner = (await this.accounts.get(account.accountId))?.owner;
    const who = owner ? `the instance holding "${account.accountId}" (${owner})` : `no instance holds "${account.accountId}" (all at ACCOUNT_CAPACITY?), so none`;
    throw new NoAnswerInTime('accountId', `${who} gave no pairing code within ${this.waitMs} ms; retry`);
  }

  /**
   * The holder's side, at each renewal: answers a request it has not answered yet while its asker still
   * waits. Not awaited by the renewal: the code may wait for WhatsApp to offer a login, and renewals of
   * the other accounts must not wait with it.
   */
  answer(live: LiveAccount, account: AccountRecord): void {
    const { pairingPhone: phoneNumber, pairingRequestedAt: requestedAt } = account;
    if (phoneNumber === null || requestedAt === null || account.pairingCodeFor === requestedAt || live.handledPairingAt === requestedAt) return;
    if (this.clock.now() - requestedAt > this.waitMs) return;
    live.handledPairingAt = requestedAt;
    void this.connections
      .requestPairingCode(live.accountId, phoneNumber)
      .then((code) => code !== undefined && this.accounts.recordConnection(live.holding, { pairingCode: code, pairingCodeFor: requestedAt, updatedAt: this.clock.now() }))
      .catch((error: unknown) => this.logger.warn({ err: error, accountId: live.accountId }, 'pairing code for another instance failed'));
  }
}
