import { AccountKey } from './account-key';

/**
 * The account keys, each by its keyId. Adapters: sqlite/account-key.repository.sqlite.ts (table `api_keys`)
 * and firestore/account-key.repository.firestore.ts (`apiKeys/{keyId}`, refused to clients by firestore.rules).
 */
export abstract class AccountKeyRepository {
  abstract create(key: AccountKey): Promise<void>;
  abstract get(keyId: string): Promise<AccountKey | null>;
  /** Every key, oldest first (a deployment has a few dozen). */
  abstract list(): Promise<AccountKey[]>;
  /** Whether there was one to delete. */
  abstract delete(keyId: string): Promise<boolean>;
  /** A deleted account leaves every key's list; a key left with none is deleted. Answers how many listed it. */
  abstract removeAccount(accountId: string): Promise<number>;
}
