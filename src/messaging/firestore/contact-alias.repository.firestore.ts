import { Injectable } from '@nestjs/common';
import { CollectionReference, Firestore } from 'firebase-admin/firestore';
import { isAlreadyExists } from '../../store/firestore/firestore-errors';
import { FirestoreStore } from '../../store/firestore/firestore-store';
import { toTimestamp } from '../../store/firestore/firestore-time';
import { ContactAliasRepository } from '../contact-alias.repository';

/** `accounts/{accountId}/contactAliases/{lid}` → `{ lid, pn, createdAt }`: beside the session, not in it. */
const CONTACT_ALIASES = 'contactAliases';

/** By path: the account doc is the accounts module's, and the core imports none of its modules. */
export function contactAliasesOf(db: Firestore, accountId: string): CollectionReference {
  return db.doc(`accounts/${accountId}`).collection(CONTACT_ALIASES);
}

@Injectable()
export class FirestoreContactAliasRepository extends ContactAliasRepository {
  constructor(private readonly store: FirestoreStore) {
    super();
  }

  /** One write: `create()` keeps the first phone number a LID was paired with. */
  async remember(accountId: string, lid: string, pn: string, now: number): Promise<void> {
    try {
      await this.aliases(accountId).doc(lid).create({ lid, pn, createdAt: toTimestamp(now) });
    } catch (error) {
      if (!isAlreadyExists(error)) throw error;
    }
  }

  async pnOf(accountId: string, lid: string): Promise<string | undefined> {
    const alias = await this.aliases(accountId).doc(lid).get();
    return alias.exists ? (alias.get('pn') as string) : undefined;
  }

  /** A query on one account's aliases, by the built-in single-field index on `pn`. */
  async lidOf(accountId: string, pn: string): Promise<string | undefined> {
    const found = await this.aliases(accountId).where('pn', '==', pn).limit(1).get();
    return found.empty ? undefined : (found.docs[0].get('lid') as string);
  }

  private aliases(accountId: string): CollectionReference {
    return contactAliasesOf(this.store.db, accountId);
  }
}
