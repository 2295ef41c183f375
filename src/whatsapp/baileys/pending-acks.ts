import type { BinaryNode } from '@whiskeysockets/baileys';
import { SendFailure } from '../whatsapp-provider';
import { ackFailure } from './ack-errors';

/**
 * One attempt waiting for the server ack of its id. The object itself is the attempt's token: a late
 * failure of an earlier attempt names that attempt, so it can never fail this one.
 */
export interface AckWait {
  readonly waMessageId: string;
  readonly promise: Promise<void>;
}

interface PendingAck extends AckWait {
  resolve(): void;
  reject(failure: SendFailure): void;
  timer: NodeJS.Timeout;
}

/**
 * Sends waiting for WhatsApp's server ack, by message id, at most one attempt per id. Baileys'
 * `sendMessage` resolves once the frame is written and says nothing of a good ack, so the connection
 * feeds every `CB:ack,class:message` frame here: no `error` attribute resolves the send, an `error`
 * rejects it with that code. An ack names only the id, so it settles whichever attempt of it waits.
 */
export class PendingAcks {
  private readonly pending = new Map<string, PendingAck>();

  /** The attempt already waiting for this id, so a concurrent duplicate joins it instead of sending twice. */
  waiting(waMessageId: string): AckWait | undefined {
    return this.pending.get(waMessageId);
  }

  /** Starts waiting for this id's ack; the caller has checked `waiting` first (one attempt per id). */
  expect(waMessageId: string, timeoutMs: number): AckWait {
    let resolve!: () => void;
    let reject!: (failure: SendFailure) => void;
    const promise = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const timer = setTimeout(() => this.fail(attempt, new SendFailure(`no server ack for ${waMessageId} within ${timeoutMs} ms`, false, 'ack_timeout')), timeoutMs);
    const attempt: PendingAck = { waMessageId, promise, resolve, reject, timer };
    this.pending.set(waMessageId, attempt);
    return attempt;
  }

  /** Whether this attempt still waits (not acked, failed or timed out). */
  isWaiting(attempt: AckWait): boolean {
    return this.pending.get(attempt.waMessageId) === attempt;
  }

  /** One ack frame from the socket; acks for ids we are not waiting for (other senders, late acks) are ignored. */
  settle(frame: BinaryNode): void {
    const id = frame.attrs?.id;
    const pending = id ? this.pending.get(id) : undefined;
    if (!id || !pending) return;
    this.remove(pending);
    if (frame.attrs.error) pending.reject(ackFailure(id, frame.attrs.error));
    else pending.resolve();
  }

  /** Fails this attempt if it still waits; an attempt that already ended (or was replaced) is left alone. */
  fail(attempt: AckWait, failure: SendFailure): void {
    if (!this.isWaiting(attempt)) return;
    const pending = attempt as PendingAck;
    this.remove(pending);
    pending.reject(failure);
  }

  failAll(failure: (waMessageId: string) => SendFailure): void {
    for (const attempt of [...this.pending.values()]) this.fail(attempt, failure(attempt.waMessageId));
  }

  get size(): number {
    return this.pending.size;
  }

  private remove(pending: PendingAck): void {
    clearTimeout(pending.timer);
    this.pending.delete(pending.waMessageId);
  }
}
