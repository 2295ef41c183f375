import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { AccountNotFound, ConflictWithState, NotAvailable } from '../common/errors';
import { assertAccountId } from '../common/ids';
import { Page, PageRequest, pageOf } from '../common/page';
import { AccountRecord, newAccount } from './account';
import { AccountConnections } from './account-connections.service';
import { AccountOwnership } from './account-ownership.service';
import { AccountAction, AccountRepository } from './account.repository';
import { AccountPurger } from './account-purger.service';
import { AccountSends } from './account-sends';
import { OperatorRequests } from './operator-requests';
import { PairingRelay } from './pairing-relay';

/** Account operations from the API. Socket work runs on the instance holding the account. */
@Injectable()
export class AccountsService {
  constructor(
    private readonly accounts: AccountRepository,
    private readonly sends: AccountSends,
    private readonly connections: AccountConnections,
    private readonly ownership: AccountOwnership,
    private readonly clock: Clock,
    private readonly pairing: PairingRelay,
    private readonly requests: OperatorRequests,
    private readonly purger: AccountPurger,
  ) {}

  /** Creates the account and starts linking it: an instance with room takes it and opens a socket (QR). */
  async create(accountId: string, name: string | null): Promise<AccountRecord> {
    const account = newAccount(assertAccountId(accountId), name, this.clock.now());
    await this.accounts.create(account);
    await this.ownership.tick();
    return (await this.accounts.get(account.accountId)) ?? account;
  }

  /** `reach`: the accounts an account key may see (null: every account); a key has a few, read one by one. */
  async list(page: PageRequest, reach: ReadonlySet<string> | null = null): Promise<Page<AccountRecord>> {
    if (reach === null) return this.accounts.list(page);
    const ids = [...reach].filter((id) => page.after === undefined || id > page.after.id).sort();
    const found = await Promise.all(ids.map((id) => this.accounts.get(id)));
    const rows = found.filter((account): account is AccountRecord => account != null).slice(0, page.limit + 1);
    return pageOf(rows, page.limit, (account) => ({ key: 0, id: account.accountId }));
  }

  async get(accountId: string): Promise<AccountRecord> {
    const account = await this.accounts.get(assertAccountId(accountId));
    if (!account) throw new AccountNotFound(accountId);
    return account;
  }

  /** The pending login QR, from the store, so any instance can serve it. */
  async pendingQr(accountId: string): Promise<{ qr: string; ageMs: number }> {
    const account = await this.get(accountId);
    if (account.qr === null || account.qrAt === null) throw new NotAvailable('qr', `no QR is pending for "${accountId}" (status ${account.status})`);
    return { qr: account.qr, ageMs: Math.max(0, this.clock.now() - account.qrAt) };
  }

  async pairingCode(accountId: string, phoneNumber: string): Promise<string> {
    const account = await this.get(accountId);
    if (account.status === 'connected') throw new ConflictWithState('accountId', `"${accountId}" is already linked`);
    // No instance takes a logged-out account until the operator asks: nobody would answer.
    if (account.status === 'logged_out') throw new ConflictWithState('accountId', `"${accountId}" is logged out; POST reconnect (or reset-session) first`);
    // Only the holder has the socket; any other instance relays the request to it through the store.
    if (!this.connections.get(account.accountId)) return this.pairing.ask(account, phoneNumber);
    const code = await this.connections.requestPairingCode(account.accountId, phoneNumber);
    if (code === undefined) throw new ConflictWithState('accountId', `"${accountId}" has no open socket (status ${account.status}); POST reconnect first`);
    return code;
  }

  async reconnect(accountId: string): Promise<void> {
    await this.act(accountId, 'reconnect');
  }

  async resetSession(accountId: string): Promise<void> {
    await this.act(accountId, 'reset');
  }

  /**
   * Closes and logs out, clears the session, fails what waits; its threads, messages and records go in
   * the background (AccountPurger), and the id can be created again once they are gone.
   */
  async delete(accountId: string): Promise<void> {
    await this.get(accountId);
    if (this.connections.get(accountId)) await this.connections.remove(accountId);
    // A holder elsewhere fails its next renewal once the doc is gone, and closes its socket.
    if (!(await this.accounts.delete(accountId, this.clock.now()))) throw new AccountNotFound(accountId);
    await this.sends.failWaiting(accountId, 'accountDeleted', this.clock.now());
    this.purger.purgeNow();
  }

  /**
   * The request is recorded first, whoever holds the account: performed here at once when this instance
   * holds it, else by the holder at its next renewal, or by whichever instance takes the account next.
   */
  private async act(accountId: string, action: AccountAction): Promise<void> {
    const account = await this.get(accountId);
    const requestedAt = this.clock.now();
    if (!(await this.accounts.requestAction(account.accountId, action, requestedAt))) throw new AccountNotFound(accountId);
    const live = this.connections.get(account.accountId);
    if (live) return this.requests.perform(live, action, requestedAt);
    if (account.status === 'logged_out') await this.accounts.markRelinkable(account.accountId, requestedAt);
    if (account.owner === null) await this.ownership.tick();
  }
}
