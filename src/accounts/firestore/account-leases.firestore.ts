import { FieldPath, Firestore, QueryDocumentSnapshot, Timestamp } from 'firebase-admin/firestore';
import { updateWhile } from '../../store/firestore/conditional-update';
import { isNotFound } from '../../store/firestore/firestore-errors';
import { FirestoreStore } from '../../store/firestore/firestore-store';
import { toTimestamp } from '../../store/firestore/firestore-time';
import { ACCOUNT_STATUSES, AccountRecord, ConnectionPatch } from '../account';
import { AccountDoc, accountRef, accountsCollection, toAccount, toPatchDoc } from './account-docs.firestore';
import { endSessionAndSends } from './account-ending.firestore';
import { accountChangeEvents, withStatusVersion } from './account-change-log.firestore';
import { AccountSends } from '../account-sends';
import { AccountAction, AccountEnding, Holding } from '../account.repository';

/** Logged-out accounts wait for an operator: no instance takes them. */
const TAKEABLE = ACCOUNT_STATUSES.filter((status) => status !== 'logged_out');
/** A taken account is only being opened by its new holder: the old holder's status and QR are no longer true. */
const TAKEN_OVER = { status: 'connecting', qr: null, qrAt: null } as const;

const isHeldBy = (holding: Holding) => (doc: AccountDoc) => doc.owner === holding.owner && doc.ownerEpoch === holding.ownerEpoch;

/**
 * Ownership leases on `accounts/{id}`. No transactions: every change is a write conditioned on the doc's
 * update time as read (see updateWhile), so two instances racing for one account cannot both win, and
 * a holder's write lands only while the doc still says it holds the account.
 */
export class FirestoreAccountLeases {
  private readonly db: Firestore;

  constructor(
    private readonly store: FirestoreStore,
    private readonly sends: AccountSends,
  ) {
    this.db = store.db;
  }

  /**
   * Two queries (no owner; lease run out), both on takeable statuses, then one conditioned write per
   * account, side by side. Needs the index accounts (status, leaseUntil): firestore.indexes.json.
   */
  async claimUnowned(owner: string, now: number, leaseMs: number, limit: number): Promise<AccountRecord[]> {
    if (limit <= 0) return [];
    const takeable = accountsCollection(this.db).where('status', 'in', TAKEABLE);
    const [unowned, expired] = await Promise.all([
      takeable.where('owner', '==', null).orderBy(FieldPath.documentId()).limit(limit).get(),
      takeable.where('leaseUntil', '<=', toTimestamp(now)).orderBy('leaseUntil').limit(limit).get(),
    ]);
    const candidates = new Map<string, QueryDocumentSnapshot>([...unowned.docs, ...expired.docs].map((doc) => [doc.id, doc]));
    const chosen = [...candidates.values()].sort((a, b) => (a.id < b.id ? -1 : 1)).slice(0, limit);
    const isFree = (doc: AccountDoc) => doc.status !== 'logged_out' && (doc.owner === null || doc.leaseUntil === null || doc.leaseUntil.toMillis() <= now);
    // A takeover stuck on a lock (a crashed holder's open transaction) must not hold up the ownership
    // round, whose next renewals wait for it (see renew): give up after a sixth of the lease. Landing
    // later, it names this instance owner of an account it never opened, until that lease runs out.
    const taken = await Promise.all(
      chosen.map((seen) => {
        const takeover = updateWhile<AccountDoc>(
          seen.ref,
          isFree,
          withStatusVersion(seen.id, (doc) => ({
            owner,
            ownerEpoch: doc.ownerEpoch + 1,
            leaseUntil: toTimestamp(now + leaseMs),
            updatedAt: toTimestamp(now),
            ...TAKEN_OVER,
            // The new holder opens a new socket: that performs a pending reconnect.
            reconnectDoneFor: doc.reconnectRequestedAt ?? null,
          })),
          seen,
          accountChangeEvents(this.store, seen.id, now),
        );
        return withinMs(takeover, leaseMs / 6).then((doc) => doc && toAccount(seen.id, doc));
      }),
    );
    return taken.filter((account): account is AccountRecord => account !== undefined);
  }

  /**
   * One read for all holdings, then one conditioned write each, side by side. Returns the docs as stored,
   * requests included. A write waits on a lock for as long as Firestore keeps the open transaction of a
   * crashed process (a minute on the emulator, measured), and the holder extends none of its leases
   * until this call returns: one stuck account let every other lease run out (three processes on the
   * emulator: one SIGKILLed, the two others dropped all their accounts). So a write gets half the time
   * left on the lease it extends, which ends the call before the holder's deadline for the others; one
   * not landed by then counts as not renewed, and its holder closes the socket as for any lost lease.
   * Should the write land later, it extends a lease already given up.
   */
  async renew(holdings: Holding[], leaseUntil: number): Promise<AccountRecord[]> {
    if (holdings.length === 0) return [];
    const seen = await this.db.getAll(...holdings.map((h) => accountRef(this.db, h.accountId)));
    const renewed = await Promise.all(
      holdings.map((holding, i) => {
        const write = updateWhile<AccountDoc>(seen[i].ref, isHeldBy(holding), () => ({ leaseUntil: toTimestamp(leaseUntil) }), seen[i]);
        const leftOnLease = ((seen[i].get('leaseUntil') as Timestamp | null)?.toMillis() ?? 0) - Date.now();
        return withinMs(write, leftOnLease / 2).then((doc) => doc && toAccount(holding.accountId, doc));
      }),
    );
    return renewed.filter((account): account is AccountRecord => account !== undefined);
  }

  release(holding: Holding, patch?: ConnectionPatch): Promise<boolean> {
    const changes = { ...(patch ? toPatchDoc(patch) : {}), owner: null, leaseUntil: null };
    return this.inOrder(holding, () => changes, patch?.updatedAt);
  }

  recordConnection(holding: Holding, patch: ConnectionPatch): Promise<boolean> {
    return this.inOrder(holding, () => toPatchDoc(patch), patch.updatedAt);
  }

  /** The last write of an ending lands after its fenced commits (see endSessionAndSends), in order with the holder's others. */
  async end(holding: Holding, ending: AccountEnding): Promise<boolean> {
    if (!(await endSessionAndSends(this.db, this.sends, holding, ending))) return false;
    const changes = {
      ...toPatchDoc(ending.patch),
      ...(ending.release ? { owner: null, leaseUntil: null } : {}),
      ...(ending.resetRequestedAt !== null ? { resetDoneFor: toTimestamp(ending.resetRequestedAt) } : {}),
    };
    return this.inOrder(holding, () => changes, ending.patch.updatedAt);
  }

  completeRequest(holding: Holding, action: AccountAction, requestedAt: number): Promise<boolean> {
    const field = action === 'reconnect' ? 'reconnectDoneFor' : 'resetDoneFor';
    return this.inOrder(holding, () => ({ [field]: toTimestamp(requestedAt) }));
  }

  async markRelinkable(accountId: string, now: number): Promise<void> {
    const changes = { status: 'disconnected', updatedAt: toTimestamp(now) } as const;
    const ref = accountRef(this.db, accountId);
    await updateWhile<AccountDoc>(ref, (doc) => doc.status === 'logged_out', withStatusVersion(accountId, () => changes), undefined, accountChangeEvents(this.store, accountId, now));
  }

  /**
   * The holder's writes to its account doc, applied in the order they were asked for. A socket's events
   * come quickly (`connecting` then `open`), each recorded without waiting for the last: two conditioned
   * writes racing on one doc would retry in any order, and a `connecting` written after `connected`
   * left accounts shown connecting for good (seen with three processes on the emulator). sqlite writes
   * in call order anyway; here the writes of one account are queued in the process.
   * With `loggedAt` (a write of connection state), what it changed is logged in the same commit.
   */
  private inOrder(holding: Holding, changes: () => Partial<AccountDoc>, loggedAt?: number): Promise<boolean> {
    const ref = accountRef(this.store.db, holding.accountId);
    const write = () =>
      loggedAt === undefined
        ? updateWhile<AccountDoc>(ref, isHeldBy(holding), changes)
        : updateWhile<AccountDoc>(ref, isHeldBy(holding), withStatusVersion(holding.accountId, changes), undefined, accountChangeEvents(this.store, holding.accountId, loggedAt));
    return this.store.inTurn(`${ref.path}#holder`, async () => (await write()) !== undefined);
  }

  /**
   * A doc written before requests were recorded done gets its old request marked done in the same write
   * (it was acted on back then), or the new one would read as done already (see toAccount).
   */
  async requestAction(accountId: string, action: AccountAction, at: number): Promise<boolean> {
    const [field, doneField] = action === 'reconnect' ? (['reconnectRequestedAt', 'reconnectDoneFor'] as const) : (['resetRequestedAt', 'resetDoneFor'] as const);
    const written = await updateWhile<AccountDoc>(
      accountRef(this.db, accountId),
      () => true,
      (doc) => ({ [field]: toTimestamp(at), updatedAt: toTimestamp(at), ...(doneField in doc ? {} : { [doneField]: doc[field] ?? null }) }),
    );
    return written !== undefined;
  }

  async requestPairing(accountId: string, phoneNumber: string, at: number): Promise<boolean> {
    const when = toTimestamp(at);
    return this.updateIfExists(accountId, { pairingPhone: phoneNumber, pairingRequestedAt: when, pairingCode: null, pairingCodeFor: null, updatedAt: when });
  }

  /** One write, no read: `update()` fails on a missing doc, which answers false. */
  private async updateIfExists(accountId: string, fields: Partial<AccountDoc>): Promise<boolean> {
    try {
      await accountRef(this.db, accountId).update(fields);
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }
}

/** `work`'s value, or undefined once `ms` have passed without one (the work goes on; its failure is dropped). */
function withinMs<T>(work: Promise<T | undefined>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), Math.max(0, ms))));
  work.catch(() => undefined);
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}
