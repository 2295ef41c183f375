import { DocumentData, DocumentSnapshot, FieldValue, Firestore, Transaction, UpdateData } from 'firebase-admin/firestore';
import { accountRef } from '../accounts/account-docs.firestore';
import { MessageDoc, threadRef } from '../messaging/message-docs.firestore';
import { Failure } from '../messaging/failure-reason';
import { statusRank } from '../receipts/message-status';
import { updateWhile } from '../store/firestore/conditional-update';
import { isFailedPrecondition } from '../store/firestore/firestore-errors';
import { FirestoreStore } from '../store/firestore/firestore-store';
import { toTimestamp } from '../store/firestore/firestore-time';
import { Claim, ClaimRequest, isClaimable } from './claim-rule';
import { OutboxItem } from './outbox-item';
import { OPEN_STATUSES, OutboxDoc, endedAtFields, outboxCollection, toOutboxItem } from './outbox-docs.firestore';
import { passTurn } from './thread-turn.firestore';

type Fields = UpdateData<DocumentData>;
/** Looks per claim when racing claimers keep taking the chosen items first; each look is a fresh query. */
const CLAIM_ATTEMPTS = 5;
const isOpen = (doc: OutboxDoc) => OPEN_STATUSES.includes(doc.status);
const isStillClaimed = (claim: Claim) => (doc: OutboxDoc) => doc.status === 'processing' && doc.claimedBy === claim.claimedBy && doc.attempts === claim.attempts;

/**
 * An item's life after accept. Claims and ends are transactions (the account's holder, or the thread's
 * turn, must be read in the same atomic step as the write); a release touches one doc and is a
 * conditioned write.
 */
export class FirestoreOutboxLifecycle {
  private readonly db: Firestore;

  constructor(private readonly store: FirestoreStore) {
    this.db = store.db;
  }

  /** One transaction per account, side by side; claims of one account from this process queue up. */
  async claim(request: ClaimRequest): Promise<OutboxItem[]> {
    const perAccount = await Promise.all(
      request.accounts.map((account) => this.store.inTurn(`${accountRef(this.db, account.accountId).path}#claim`, () => this.claimFor(request, account))),
    );
    return perAccount.flat();
  }

  /**
   * One query for the turn-holders whose `claimableAt` has come (due, or their claim's lease ran out), at
   * most `perAccount`, outside any transaction; then one transaction that reads the account (the holder
   * check) and writes each chosen item on condition that it is unchanged since the query. Racing
   * claimers so read only the account doc, which none of them writes: no lock waits between them
   * (reading the items in the transaction made two claimers deadlock until the emulator aborted one,
   * ~2 s each time). A claimer that loses an item to another looks again. Needs the index outbox
   * (accountId, threadHead, claimableAt): firestore.indexes.json.
   */
  private async claimFor(request: ClaimRequest, account: { accountId: string; ownerEpoch: number }): Promise<OutboxItem[]> {
    const { now, owner, perAccount } = request;
    const turnHolders = outboxCollection(this.db).where('accountId', '==', account.accountId).where('threadHead', '==', true);
    for (let attempt = 1; attempt <= CLAIM_ATTEMPTS; attempt++) {
      const found = await turnHolders.where('claimableAt', '<=', toTimestamp(now)).orderBy('claimableAt').limit(perAccount).get();
      const chosen = found.docs
        .map((doc) => ({ doc, item: toOutboxItem(doc.id, doc.data() as OutboxDoc) }))
        .filter(({ doc, item }) => isClaimable(item, now, doc.get('threadHead') !== true));
      if (chosen.length === 0) return [];
      try {
        return await this.db.runTransaction(async (tx) => {
          const holder = await tx.get(accountRef(this.db, account.accountId));
          if (holder.get('owner') !== owner || holder.get('ownerEpoch') !== account.ownerEpoch) return [];
          return chosen.map(({ doc, item }) => {
            const claimed = { status: 'processing' as const, claimedBy: owner, claimEpoch: account.ownerEpoch, leaseUntil: now + request.leaseMs, attempts: item.attempts + 1, updatedAt: now };
            const leaseUntil = toTimestamp(claimed.leaseUntil);
            tx.update(doc.ref, { ...claimed, leaseUntil, claimableAt: leaseUntil, updatedAt: toTimestamp(now) }, { lastUpdateTime: doc.updateTime });
            return { ...item, ...claimed };
          });
        });
      } catch (error) {
        if (!isFailedPrecondition(error)) throw error;
      }
    }
    // Still losing races after several looks: leave the rest to the next poll.
    return [];
  }

  /** A late ack still counts: only an item that already ended refuses it. */
  markSent(claim: Claim, now: number): Promise<boolean> {
    const at = toTimestamp(now);
    return this.end(claim.id, isOpen, { status: 'sent', ...endedAtFields(now), leaseUntil: null, lastError: null, updatedAt: at }, (message) => ({
      ...(message.statusRank < statusRank('sent') ? { status: 'sent', statusRank: statusRank('sent') } : {}),
      sentAt: message.sentAt ?? at,
      updatedAt: at,
    }));
  }

  markFailed(claim: Claim, failure: Failure, now: number): Promise<boolean> {
    const at = toTimestamp(now);
    return this.end(claim.id, isStillClaimed(claim), { status: 'failed', ...failedFields(failure), ...endedAtFields(now), leaseUntil: null, updatedAt: at }, (message) =>
      message.statusRank < statusRank('failed')
        ? { status: 'failed', statusRank: statusRank('failed'), failedAt: at, error: failure.detail ?? FieldValue.delete(), failureReason: failure.reason, updatedAt: at }
        : undefined,
    );
  }

  /** WhatsApp rejected the message: its open item ends, never retried (the receipt moves the message). */
  async failBySending(accountId: string, waMessageId: string, failure: Failure, now: number): Promise<boolean> {
    const found = await outboxCollection(this.db).where('accountId', '==', accountId).where('waMessageId', '==', waMessageId).limit(1).get();
    if (found.empty) return false;
    return this.end(found.docs[0].id, isOpen, { status: 'failed', ...failedFields(failure), ...endedAtFields(now), leaseUntil: null, updatedAt: toTimestamp(now) });
  }

  /** One doc, no turn change: a conditioned write, no transaction. */
  async release(claim: Claim, error: string, nextAttemptAt: number, now: number): Promise<boolean> {
    const due = toTimestamp(nextAttemptAt);
    const queued = { status: 'queued', nextAttemptAt: due, claimableAt: due, lastError: error, leaseUntil: null, claimedBy: null, updatedAt: toTimestamp(now) };
    return (await updateWhile<OutboxDoc>(outboxCollection(this.db).doc(claim.id), isStillClaimed(claim), () => queued)) !== undefined;
  }

  /** Index-merged equality query on (claimedBy, status), then one conditioned write per item. */
  async releaseAll(owner: string, now: number): Promise<number> {
    const claimed = await outboxCollection(this.db).where('claimedBy', '==', owner).where('status', '==', 'processing').get();
    const released = await Promise.all(
      claimed.docs.map((seen) =>
        updateWhile<OutboxDoc>(
          seen.ref,
          (doc) => doc.status === 'processing' && doc.claimedBy === owner,
          (doc) => ({ status: 'queued', attempts: doc.attempts - 1, claimableAt: doc.nextAttemptAt, leaseUntil: null, claimedBy: null, updatedAt: toTimestamp(now) }),
          seen,
        ),
      ),
    );
    return released.filter(Boolean).length;
  }

  /**
   * Ends one item if `holds` (re-read inside the transaction), moves its message with `messageChanges`
   * (nothing when it returns undefined), and passes the thread's turn on. Reads: item, then message and
   * thread, then the thread's next open item when the turn moves; writes: up to four docs.
   */
  private end(id: string, holds: (doc: OutboxDoc) => boolean, itemChanges: Fields, messageChanges?: (message: MessageDoc) => Fields | undefined): Promise<boolean> {
    const ref = outboxCollection(this.db).doc(id);
    return this.db.runTransaction(async (tx) => {
      const item = await tx.get(ref);
      if (!item.exists || !holds(item.data() as OutboxDoc)) return false;
      const doc = item.data() as OutboxDoc;
      const [message, thread] = await tx.getAll(this.db.doc(doc.messageRef), threadRef(this.db, doc.threadId));
      const turn = await passTurn(tx, this.db, thread, [{ id, seq: doc.seq }]);
      tx.update(ref, { ...itemChanges, threadHead: false, claimableAt: null });
      writeMessage(tx, message, messageChanges);
      for (const [target, fields] of turn) tx.update(target, fields);
      return true;
    });
  }
}

function failedFields(failure: Failure): Fields {
  return { lastError: failure.detail, failureReason: failure.reason };
}

export function writeMessage(tx: Transaction, message: DocumentSnapshot, changes?: (message: MessageDoc) => Fields | undefined): void {
  const fields = message.exists && changes ? changes(message.data() as MessageDoc) : undefined;
  if (fields) tx.update(message.ref, fields);
}
