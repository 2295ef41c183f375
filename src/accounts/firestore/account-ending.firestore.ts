import { DocumentSnapshot, Firestore } from 'firebase-admin/firestore';
import { accountRef } from './account-docs.firestore';
import { AccountSends } from '../account-sends';
import { AccountEnding, Holding } from '../account.repository';
import { SESSION } from './session.repository.firestore';

/** Keys per commit: a Firestore commit takes at most 500 writes. */
const KEYS_PER_COMMIT = 450;

export function isHeldIn(account: DocumentSnapshot, holding: Holding): boolean {
  return account.exists && account.get('owner') === holding.owner && account.get('ownerEpoch') === holding.ownerEpoch;
}

/**
 * The store side of an ending before its last write (see AccountRepository.end): the waiting sends fail,
 * then the session goes, in commits that each read the account doc and write only while the holding is
 * current. False once fenced out; what was done before stays done, and the reset stays pending.
 */
export async function endSessionAndSends(db: Firestore, sends: AccountSends, holding: Holding, ending: AccountEnding): Promise<boolean> {
  if ((await sends.failWaiting(holding.accountId, ending.reason, ending.patch.updatedAt, holding)) === null) return false;
  const session = accountRef(db, holding.accountId).collection(SESSION);
  for (;;) {
    const keys = await session.select().limit(KEYS_PER_COMMIT).get();
    if (keys.empty) return true;
    const held = await db.runTransaction(async (tx) => {
      if (!isHeldIn(await tx.get(accountRef(db, holding.accountId)), holding)) return false;
      for (const key of keys.docs) tx.delete(key.ref);
      return true;
    });
    if (!held) return false;
  }
}
