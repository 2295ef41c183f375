import { Page, PageRequest } from '../common/page';
import { AccountRecord } from './account';

/** Storage of `accounts/{accountId}`. Adapters: account.repository.sqlite.ts, account.repository.firestore.ts. */
export abstract class AccountRepository {
  /** Creates the account, or throws `AccountAlreadyExists`. */
  abstract create(account: AccountRecord): Promise<void>;
  abstract get(accountId: string): Promise<AccountRecord | undefined>;
  /** Ordered by account id. */
  abstract list(page: PageRequest): Promise<Page<AccountRecord>>;
  /** Removes the account doc; true when it existed. */
  abstract delete(accountId: string): Promise<boolean>;
}
