import type { BinaryNode } from '@whiskeysockets/baileys';
import { SendFailure } from '../whatsapp-provider';
import { ackFailure } from './ack-errors';

interface PendingAck {
  promise: Promise<void>;
  resolve(): void;
  reject(failure: SendFailure): void;
  timer: NodeJS.Timeout;
}

/**
 * Sends waiting for WhatsApp's server ack, by message id. Baileys' `sendMessage` resolves once the frame
 * is written and says nothing of a good ack, so the connection feeds every `CB:ack,class:message` frame
 * here: no `error` attribute resolves the send, an `error` rejects it with that code.
 */
export class PendingAcks {
  private readonly pending = new Map<string, PendingAck>();

  /** The promise of a send already waiting for this id, so a concurrent duplicate joins it instead of sending twice. */
  waiting(waMessageId: string): Promise<void> | undefined {
    return this.pending.get(waMessageId)?.promise;
  }

  expect(waMessageId: string, timeoutMs: number): Promise<void> {
    const existing = this.waiting(waMessageId);
    if (existing) return existing;
    let resolve!: () => void;
    let reject!: (failure: SendFailure) => void;
    const promise = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const timer = setTimeout(
      () => this.fail(waMessageId, new SendFailure(`no server ack for ${waMessageId} within ${timeoutMs} ms`, false, 'ack_timeout')),
      timeoutMs,
    );
    this.pending.set(waMessageId, { promise, resolve, reject, timer });
    return promise;
  }

  /** One ack frame from the socket; acks for ids we are not waiting for (other senders, late acks) are ignored. */
  settle(frame: BinaryNode): void {
    const id = frame.attrs?.id;
    const pending = id ? this.pending.get(id) : undefined;
    if (!id || !pending) return;
    this.remove(id, pending);
    if (frame.attrs.error) pending.reject(ackFailure(id, frame.attrs.error));
    else pending.resolve();
  }

  fail(waMessageId: string, failure: SendFailure): void {
    const pending = this.pending.get(waMessageId);
    if (!pending) return;
    this.remove(waMessageId, pending);
    pending.reject(failure);
  }

  failAll(failure: (waMessageId: string) => SendFailure): void {
    for (const id of [...this.pending.keys()]) this.fail(id, failure(id));
  }

  get size(): number {
    return this.pending.size;
  }

  private remove(waMessageId: string, pending: PendingAck): void {
    clearTimeout(pending.timer);
    this.pending.delete(waMessageId);
  }
}
