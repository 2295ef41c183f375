/**
 * Records outside accounts/ that name accounts (webhook endpoints; API keys next). A deleted account's
 * purge removes its id from them before the id is freed, so a re-created account inherits no endpoint.
 * Accounts defines this, the owners implement it, and the composition root binds them.
 */
export abstract class AccountReferences {
  /** Idempotent: a purge resumed after a crash asks again. */
  abstract forget(accountId: string, now: number): Promise<void>;
}
