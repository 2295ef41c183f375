import { Failure } from '../messaging/failure-reason';
import { Claim, ClaimRequest } from './claim-rule';
import { AcceptedSend } from '../messaging/send-acceptance';
import { AcceptOutcome, OpenOutboxStatus, OutboxItem } from './outbox-item';
import { Page, PageRequest } from '../common/page';
import { OutboxStatus } from './outbox-item';
import { RetryOutcome, WatchedOutboxStatus } from './failed-send-retry';

/** Storage of `outbox/{accountId}__{requestId}` and the writes that move an item and its message together. */
export abstract class OutboxRepository {
  /**
   * In one atomic write: the message doc (`queued`, with the thread's next sequence number), its lookup
   * entry, the thread summary and the outbox item. When the key exists on the account, writes nothing.
   * Throws `AccountNotFound` when the account does not exist and `AccountLoggedOut` when it is logged out,
   * both checked inside the same write; the item is bound to the account's `phone` as read there.
   */
  abstract accept(send: AcceptedSend): Promise<AcceptOutcome>;
  abstract get(accountId: string, requestId: string): Promise<OutboxItem | undefined>;
  /**
   * Open items by status (the queue an operator watches; ended ones are counted as they end, in the send
   * results): read at each metrics scrape, so cheap on a large store.
   */
  abstract countOpen(): Promise<Record<OpenOutboxStatus, number>>;
  /**
   * Claims due items of the given accounts (see `isClaimable`), at most `perAccount` each, atomically and
   * only while `owner` still holds each account under the given epoch: `processing`, `claimedBy`, the
   * epoch, `leaseUntil = now + leaseMs`, `attempts + 1`. Returns the claimed items.
   */
  abstract claim(request: ClaimRequest): Promise<OutboxItem[]>;
  /**
   * WhatsApp's server acknowledged the id: item and message `sent` in one write (the message never moves
   * back from a status a receipt already raised). A late ack is still the truth: it counts even if the
   * claim was lost, unless the item has already ended. Returns false when it had ended.
   */
  abstract markSent(claim: Claim, now: number): Promise<boolean>;
  /**
   * A transient failure: back to `queued`, due at `nextAttemptAt`, only if the claim is still ours and
   * its message is not acknowledged (`isAcknowledged`: a receipt proved WhatsApp has it).
   */
  abstract release(claim: Claim, error: string, nextAttemptAt: number, now: number): Promise<boolean>;
  /**
   * A permanent failure or no attempts left: item and message `failed` with the failure, if the claim is
   * still ours and its message is not acknowledged.
   */
  abstract markFailed(claim: Claim, failure: Failure, now: number): Promise<boolean>;
  /** The claim was not used (a lease ran short before the send): back to `queued` as it was, attempt not counted. */
  abstract releaseUnsent(claim: Claim, now: number): Promise<boolean>;
  /** Shutdown: this owner's claims not yet sent go back to `queued`, attempt not counted. */
  abstract releaseAll(owner: string, now: number): Promise<number>;
  /**
   * A receipt proved WhatsApp has this message (`sent` or beyond) before its send was recorded: its open
   * item ends `sent`, whoever claimed it, with the message as `markSent` moves it.
   */
  abstract markSentBySending(accountId: string, waMessageId: string, now: number): Promise<boolean>;
  /** WhatsApp rejected this message (an ERROR receipt): its open item ends `failed`, never retried. */
  abstract failBySending(accountId: string, waMessageId: string, failure: Failure, now: number): Promise<boolean>;
  /** One account's items by status, counted (the operator's console, through a cache). */
  abstract countOf(accountId: string): Promise<Record<WatchedOutboxStatus, number>>;
  /** One account's items, of one status when given, by request id; the cursor's id is a request id. */
  abstract list(accountId: string, status: OutboxStatus | undefined, page: PageRequest): Promise<Page<OutboxItem>>;
  /**
   * In one transaction: a `failed` item and its message back to `queued` (attempts 0, due now, failure
   * cleared, a `message.accepted` event), last in its thread's send order (the thread's next sequence
   * number, so it never jumps a turn already given out). Throws `AccountLoggedOut` as accept does.
   */
  abstract retryFailed(accountId: string, requestId: string, now: number): Promise<RetryOutcome>;
}
