import { Injectable } from '@nestjs/common';
import { AcceptedSend, Acceptance, SendAcceptance } from '../messaging/send-acceptance';
import { OutboxProcessor } from './outbox-processor.service';
import { OutboxRepository } from './outbox.repository';

/**
 * The outbox's side of accepting a send: the item is written with its message, and once that write is
 * durable the processor hears of it, so an account held here sends at once instead of at the next poll.
 * Nothing is lost if it does not: the poll finds the item.
 */
@Injectable()
export class OutboxAcceptance extends SendAcceptance {
  constructor(
    private readonly outbox: OutboxRepository,
    private readonly processor: OutboxProcessor,
  ) {
    super();
  }

  async accept(send: AcceptedSend): Promise<Acceptance> {
    const outcome = await this.outbox.accept(send);
    if (outcome.kind === 'accepted') this.processor.accepted(outcome.item);
    return { kind: outcome.kind, requestHash: outcome.item.requestHash, answer: outcome.item.answer };
  }
}
