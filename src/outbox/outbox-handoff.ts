import { Injectable } from '@nestjs/common';
import { OutboxItem } from './outbox-item';

type AcceptedListener = (item: OutboxItem) => void;

/**
 * The seam between the send path and the outbox processor: the send service announces an item only
 * after its accept write is durable; the processor (when this instance holds the account) claims it at
 * once instead of waiting for the next poll. Nothing is lost if no one listens: the poll finds it.
 */
@Injectable()
export class OutboxHandoff {
  private readonly listeners: AcceptedListener[] = [];

  onAccepted(listener: AcceptedListener): void {
    this.listeners.push(listener);
  }

  accepted(item: OutboxItem): void {
    for (const listener of this.listeners) listener(item);
  }
}
