import { DocumentData, DocumentReference, DocumentSnapshot, FieldValue, Firestore, Transaction, UpdateData } from 'firebase-admin/firestore';
import { accountRef } from '../../accounts/firestore/account-docs.firestore';
import { MessageDoc, threadRef, toMessage } from '../../messaging/firestore/message-docs.firestore';
import { messageEvent } from '../../messaging/message-events';
import { EventType } from '../../events/event';
import { appendEventIn } from '../../events/firestore/event-docs.firestore';
import { Failure } from '../../messaging/failure-reason';
import { isAcknowledged, statusRank } from '../../messaging/message-status';
import { asWritten, updateWhile } from '../../store/firestore/conditional-update';
import { isFailedPrecondition } from '../../store/firestore/firestore-errors';
import { FirestoreStore } from '../../store/firestore/firestore-store';
import { toTimestamp } from '../../store/firestore/firestore-time';
import { Claim, ClaimRequest, claimLimit, isClaimable } from '../claim-rule';
import { OutboxItem } from '../outbox-item';
import { OPEN_STATUSES, OutboxDoc, endedAtFields, outboxCollection, toOutboxItem } from './outbox-docs.firestore';
import { passTurn } from './thread-turn.firestore';

type Fields = UpdateData<DocumentData>;
/** What an end does to the item's message (nothing when `changes` answers undefined), and the event that reports it. */
export interface MessageMove {
  event: EventType;
  changes: (message: MessageDoc) => Fields | undefined;
}
/** Looks per claim when racing claimers keep taking the chosen items first; each look is a fresh query. */
const CLAIM_ATTEMPTS = 5;
const isOpen = (doc: OutboxDoc) => OPEN_STATUSES.includes(doc.status);
const isStillClaimed = (claim: Claim) => (doc: OutboxDoc) => doc.status === 'processing' && doc.claimedBy === claim.claimedBy && doc.attempts === claim.attempts;

const isUnacknowledged = (message: MessageDoc) => !isAcknowledged(message.status);

/**
 * An item's life after accept. Claims, ends and releases are transactions (the account's holder, the
 * thread's turn, or the message's status must be read in the same atomic step as the write); giving
 * back an unused claim touches one doc and is a conditioned write.
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
  private async claimFor(request: ClaimRequest, account: ClaimRequest['accounts'][number]): Promise<OutboxItem[]> {
    const { now, owner } = request;
    const perAccount = claimLimit(request, account);
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
    return this.end(claim.id, isOpen, sentItem(now), now, sentMessage(now));
  }

  markFailed(claim: Claim, failure: Failure, now: number): Promise<boolean> {
    const at = toTimestamp(now);
    const failed = { status: 'failed', ...failedFields(failure), ...endedAtFields(now), leaseUntil: null, updatedAt: at };
    const message: MessageMove = {
      event: 'message.failed',
      changes: (doc) =>
        doc.statusRank < statusRank('failed') ? { status: 'failed', statusRank: statusRank('failed'), failedAt: at, error: failure.detail ?? FieldValue.delete(), failureReason: failure.reason, updatedAt: at } : undefined,
    };
    return this.end(claim.id, isStillClaimed(claim), failed, now, message, isUnacknowledged);
  }

  /** WhatsApp rejected the message: its open item ends, never retried (the receipt moves the message). */
  async failBySending(accountId: string, waMessageId: string, failure: Failure, now: number): Promise<boolean> {
    const id = await this.openItemOf(accountId, waMessageId);
    return id !== undefined && this.end(id, isOpen, { status: 'failed', ...failedFields(failure), ...endedAtFields(now), leaseUntil: null, updatedAt: toTimestamp(now) }, now);
  }

  async markSentBySending(accountId: string, waMessageId: string, now: number): Promise<boolean> {
    const id = await this.openItemOf(accountId, waMessageId);
    return id !== undefined && this.end(id, isOpen, sentItem(now), now, sentMessage(now));
  }

  /** No turn change, but the message's status is read with the item: a send WhatsApp has is never retried. */
  release(claim: Claim, error: string, nextAttemptAt: number, now: number): Promise<boolean> {
    const ref = outboxCollection(this.db).doc(claim.id);
    const due = toTimestamp(nextAttemptAt);
    return this.inThreadTurn(ref, () => this.db.runTransaction(async (tx) => {
      const item = await tx.get(ref);
      if (!item.exists || !isStillClaimed(claim)(item.data() as OutboxDoc)) return false;
      const message = await tx.get(this.db.doc((item.data() as OutboxDoc).messageRef));
      if (message.exists && !isUnacknowledged(message.data() as MessageDoc)) return false;
      tx.update(ref, { status: 'queued', nextAttemptAt: due, claimableAt: due, lastError: error, leaseUntil: null, claimedBy: null, updatedAt: toTimestamp(now) });
      return true;
    }));
  }

  /** One doc, no turn change: a conditioned write, no transaction. */
  async releaseUnsent(claim: Claim, now: number): Promise<boolean> {
    return (await updateWhile<OutboxDoc>(outboxCollection(this.db).doc(claim.id), isStillClaimed(claim), (doc) => unclaimed(doc, now))) !== undefined;
  }

  /** Index-merged equality query on (claimedBy, status), then one conditioned write per item. */
  async releaseAll(owner: string, now: number): Promise<number> {
    const claimed = await outboxCollection(this.db).where('claimedBy', '==', owner).where('status', '==', 'processing').get();
    const released = await Promise.all(
      claimed.docs.map((seen) =>
        updateWhile<OutboxDoc>(
          seen.ref,
          (doc) => doc.status === 'processing' && doc.claimedBy === owner,
          (doc) => unclaimed(doc, now),
          seen,
        ),
      ),
    );
    return released.filter(Boolean).length;
  }

  /** The outbox id of the item that sends this WhatsApp id on this account (the query failBySending's index serves). */
  private async openItemOf(accountId: string, waMessageId: string): Promise<string | undefined> {
    const found = await outboxCollection(this.db).where('accountId', '==', accountId).where('waMessageId', '==', waMessageId).limit(1).get();
    return found.docs[0]?.id;
  }

  /**
   * Ends one item if `holds` (re-read inside the transaction) and its message `allows`, moves its message
   * (`messageMove`, with its event), and passes the thread's turn on. Reads: item, then message and
   * thread, then the thread's next open item when the turn moves; writes: up to five docs.
   */
  private end(
    id: string,
    holds: (doc: OutboxDoc) => boolean,
    itemChanges: Fields,
    now: number,
    messageMove?: MessageMove,
    allows: (message: MessageDoc) => boolean = () => true,
  ): Promise<boolean> {
    const ref = outboxCollection(this.db).doc(id);
    return this.inThreadTurn(ref, () => this.db.runTransaction(async (tx) => {
      const item = await tx.get(ref);
      if (!item.exists || !holds(item.data() as OutboxDoc)) return false;
      const doc = item.data() as OutboxDoc;
      const [message, thread] = await tx.getAll(this.db.doc(doc.messageRef), threadRef(this.db, doc.threadId));
      if (message.exists && !allows(message.data() as MessageDoc)) return false;
      const turn = await passTurn(tx, this.db, thread, [{ id, seq: doc.seq }]);
      tx.update(ref, { ...itemChanges, threadHead: false, claimableAt: null });
      if (messageMove) writeMessage(this.store, tx, message, messageMove, now);
      for (const [target, fields] of turn) tx.update(target, fields);
      return true;
    }));
  }

  /**
   * Runs `transaction` on the item's thread's turn in this process (FirestoreStore.inTurn), after the
   * accepts, receipts and other ends of that thread it started before. An end reads and then writes the
   * item's message and thread, as an accept writes the thread and a receipt the message: raced, each
   * waits for the other's lock until the emulator aborts them (Transaction lock timeout, tens of seconds),
   * and the retries meet again. After a store outage, when the backlog of all of them lands at once, ends
   * failed so for longer than their claims, and the items were sent again. The thread is read from the
   * item first (it never changes); the transaction reads the item again.
   */
  private async inThreadTurn<T>(ref: DocumentReference, transaction: () => Promise<T>): Promise<T> {
    const threadId = (await ref.get()).get('threadId') as string | undefined;
    return threadId === undefined ? transaction() : this.store.inTurn(threadRef(this.db, threadId).path, transaction);
  }
}

function sentItem(now: number): Fields {
  return { status: 'sent', ...endedAtFields(now), leaseUntil: null, lastError: null, updatedAt: toTimestamp(now) };
}

/** The message of a sent item: `sent` unless a receipt already raised it, and when it was sent; untouched when it has both. */
function sentMessage(now: number): MessageMove {
  const at = toTimestamp(now);
  const rank = statusRank('sent');
  return {
    event: 'message.sent',
    changes: (message) => (message.statusRank < rank || message.sentAt === undefined ? { ...(message.statusRank < rank ? { status: 'sent', statusRank: rank } : {}), sentAt: message.sentAt ?? at, updatedAt: at } : undefined),
  };
}

/** A claim handed back unused: queued again as it was, the attempt not counted. */
function unclaimed(doc: OutboxDoc, now: number): Fields {
  return { status: 'queued', attempts: doc.attempts - 1, claimableAt: doc.nextAttemptAt, leaseUntil: null, claimedBy: null, updatedAt: toTimestamp(now) };
}

function failedFields(failure: Failure): Fields {
  return { lastError: failure.detail, failureReason: failure.reason };
}

/** The message's move, if it moves, with its event in the same transaction (its snapshot: the doc as written). */
export function writeMessage(store: FirestoreStore, tx: Transaction, message: DocumentSnapshot, move: MessageMove, now: number): void {
  if (!message.exists) return;
  const before = message.data() as MessageDoc;
  const fields = move.changes(before);
  if (!fields) return;
  tx.update(message.ref, fields);
  appendEventIn(store, tx, messageEvent(move.event, toMessage(message.id, asWritten(before, fields)), now));
}
