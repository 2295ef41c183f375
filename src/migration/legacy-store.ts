import { AccountRecord } from '../accounts/account';
import { MessageRecord } from '../messaging/message';
import { OutboxItem } from '../outbox/outbox-item';
import { LegacyAccount, LegacyMessage, LegacyOutboxItem, LookupEntry, LookupKey, ThreadSummary } from './legacy-records';

/**
 * One change to the store. The migration sends changes in groups (`write`), each group atomic: a
 * Firestore batch, a sqlite transaction. A message travels with its lookup entry, as the adapters write
 * them, so a copy is never found without its lookup or the reverse.
 */
export type LayoutChange =
  /** Creates the message and its lookup entry; `replaceLookup` when the entry points into the old layout. */
  | { kind: 'copyMessage'; message: MessageRecord; replaceLookup: boolean }
  /** Writes the thread's summary fields and counter; anything else on the thread doc is kept. */
  | { kind: 'putThread'; thread: ThreadSummary }
  /** Creates the item; never replaces one. */
  | { kind: 'createOutboxItem'; item: OutboxItem }
  /** Creates the account; never replaces one. */
  | { kind: 'createAccount'; account: AccountRecord }
  /** Name and phone only: ownership, epoch, lease and status are the running instances' to change. */
  | { kind: 'fillAccount'; accountId: string; name: string | null; phone: string | null; updatedAt: number }
  | { kind: 'deleteOldMessage'; oldThreadId: string; messageId: string }
  | { kind: 'deleteOldThread'; oldThreadId: string }
  | { kind: 'deleteOldOutboxItem'; requestId: string }
  | { kind: 'deleteLegacyAccount'; accountId: string };

/**
 * What the thread-id migration needs of a store: list the old layout, read the new one (to plan and to
 * verify each copy by reading it back), write, delete. Writes go only through `write` and
 * `settleThreadTurn`, so a test can count them and fail one on purpose.
 */
export abstract class LegacyStore {
  /** `firestore` or `sqlite`, for the report. */
  abstract readonly kind: string;

  // The old layout.
  /** Ids of threads without the `{accountId}__` prefix, including ones that hold messages but no doc. */
  abstract oldThreadIds(): Promise<string[]>;
  abstract oldMessages(oldThreadId: string): Promise<LegacyMessage[]>;
  /** Outbox items whose id has no `__`: keyed by the request id alone. */
  abstract oldOutboxItems(): Promise<LegacyOutboxItem[]>;
  abstract legacyAccounts(): Promise<LegacyAccount[]>;

  // The new layout.
  abstract messages(threadId: string, messageIds: string[]): Promise<Map<string, MessageRecord>>;
  /** Keyed by `lookupId`. */
  abstract lookups(keys: LookupKey[]): Promise<Map<string, LookupEntry>>;
  abstract thread(threadId: string): Promise<ThreadSummary | undefined>;
  /** The thread's newest message by (createdAt, messageId), as the thread list orders them. */
  abstract newestMessage(threadId: string): Promise<MessageRecord | undefined>;
  /** The highest `seq` among the thread's messages, 0 when none has one. */
  abstract highestSeq(threadId: string): Promise<number>;
  abstract outboxItems(ids: string[]): Promise<Map<string, OutboxItem>>;
  abstract account(accountId: string): Promise<AccountRecord | undefined>;
  /** Owners (`{WORKER_ID}/{incarnation}`) holding an account under a lease that has not run out at `now`: running instances. */
  abstract liveHolders(now: number): Promise<string[]>;

  /** Applies the changes atomically (at most `MAX_CHANGES_PER_WRITE`). */
  abstract write(changes: LayoutChange[]): Promise<void>;
  /**
   * After outbox items moved into a thread: lets the store rebuild whatever turn state it keeps (Firestore
   * keeps the thread's `outboxHeadSeq` and the head item's `threadHead`; sqlite asks at claim time).
   * Returns how many docs it wrote (0 when the turn state was already right).
   */
  abstract settleThreadTurn(threadId: string): Promise<number>;
  abstract close(): Promise<void>;
}

/** A Firestore commit takes at most 500 writes; a message copy is two (message and lookup). */
export const MAX_CHANGES_PER_WRITE = 200;
