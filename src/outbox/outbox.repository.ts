import { AcceptOutcome, AcceptedSend, OutboxItem } from './outbox-item';

/** Storage of `outbox/{accountId}__{requestId}` and the writes that move an item and its message together. */
export abstract class OutboxRepository {
  /**
   * In one atomic write: the message doc (`queued`, with the thread's next sequence number), its lookup
   * entry, the thread summary and the outbox item. When the key exists on the account, writes nothing.
   * Throws `AccountNotFound` when the account does not exist, checked inside the same write.
   */
  abstract accept(send: AcceptedSend): Promise<AcceptOutcome>;
  abstract get(accountId: string, requestId: string): Promise<OutboxItem | undefined>;
}
