import { Injectable } from '@nestjs/common';
import { DocumentReference, Firestore } from 'firebase-admin/firestore';
import { FirestoreStore } from '../../store/firestore/firestore-store';
import { WriteGroups } from '../../store/firestore/write-groups';
import { accountRef } from './account-docs.firestore';
import { Holding } from '../account.repository';
import { SessionFenced, SessionRepository } from '../session.repository';

/** `accounts/{accountId}/session/{key}` → `{ value }`, written by the account's holder only. */
export const SESSION = 'session';

/** A Firestore commit takes at most 500 writes, and the transaction reads the account too. */
const WRITES_PER_COMMIT = 450;

interface SessionChange {
  holding: Holding;
  changes: Map<string, string | null>;
}

@Injectable()
export class FirestoreSessionRepository extends SessionRepository {
  /** Keyed by holding: only one holding of an account is ever current, the others are fenced anyway. */
  private readonly groups = new WriteGroups<SessionChange>((_key, changes) => this.commit(changes));

  constructor(private readonly store: FirestoreStore) {
    super();
  }

  /** One batched read of the keys asked for. */
  async read(accountId: string, keys: string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    if (keys.length === 0) return found;
    const snapshots = await this.store.db.getAll(...keys.map((key) => sessionRef(this.store.db, accountId, key)));
    snapshots.forEach((snapshot, i) => {
      if (snapshot.exists) found.set(keys[i], snapshot.get('value') as string);
    });
    return found;
  }

  /**
   * Writes arriving while one commits for the same holding go together in the next (see WriteGroups),
   * in order, so a burst of Baileys key writes is one transaction, not one each.
   */
  write(holding: Holding, changes: Map<string, string | null>): Promise<void> {
    return this.groups.add(`${holding.accountId}/${holding.owner}/${holding.ownerEpoch}`, { holding, changes });
  }

  async clear(accountId: string): Promise<void> {
    await this.store.db.recursiveDelete(accountRef(this.store.db, accountId).collection(SESSION));
  }

  /**
   * A transaction that reads the account doc, so the writes land only while the holding is current.
   * A group larger than one commit goes in several, each fenced; a crash between them leaves some keys
   * written, as Baileys' own file store would.
   */
  private async commit(group: SessionChange[]): Promise<void> {
    const { holding } = group[0];
    const merged = new Map<string, string | null>();
    for (const { changes } of group) for (const [key, value] of changes) merged.set(key, value);
    const entries = [...merged];
    const db = this.store.db;
    for (let i = 0; i < entries.length || i === 0; i += WRITES_PER_COMMIT) {
      await db.runTransaction(async (tx) => {
        const account = await tx.get(accountRef(db, holding.accountId));
        if (account.get('owner') !== holding.owner || account.get('ownerEpoch') !== holding.ownerEpoch) throw new SessionFenced(holding.accountId);
        for (const [key, value] of entries.slice(i, i + WRITES_PER_COMMIT)) {
          if (value === null) tx.delete(sessionRef(db, holding.accountId, key));
          else tx.set(sessionRef(db, holding.accountId, key), { value });
        }
      });
    }
  }
}

/**
 * Baileys key ids can hold `/` (base64 app-state key ids), which Firestore reads as a path separator, and
 * a doc id may not be `.`, `..` or `__...__`: encode those characters, reversibly.
 */
export function sessionRef(db: Firestore, accountId: string, key: string): DocumentReference {
  const id = encodeURIComponent(key).replace(/\./g, '%2E').replace(/_/g, '%5F');
  return accountRef(db, accountId).collection(SESSION).doc(id);
}
