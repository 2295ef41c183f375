/**
 * The account's LID ↔ phone-number pairs, kept outside the Baileys session (a reset must not forget which
 * thread a contact is). Adapters: sqlite/contact-alias.repository.sqlite.ts, firestore/contact-alias.repository.firestore.ts
 * (`accounts/{accountId}/contactAliases/{lid}`).
 */
export abstract class ContactAliasRepository {
  /** Keeps the pair; a LID already paired keeps its first phone number. */
  abstract remember(accountId: string, lid: string, pn: string, now: number): Promise<void>;
  abstract pnOf(accountId: string, lid: string): Promise<string | undefined>;
  abstract lidOf(accountId: string, pn: string): Promise<string | undefined>;
}
