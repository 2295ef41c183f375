import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { MetricsRecorder } from '../metrics/metrics-recorder';
import { IdempotencyConflict, InvalidInput } from '../common/errors';
import { REQUEST_ID_RULE, isRequestId, newMessageId, newRequestId } from '../common/ids';
import { recipientToJid, threadIdOf } from '../common/jid';
import { newWaMessageId } from '../whatsapp/message-id';
import { requestHash } from './request-hash';
import { SendAcceptance, SendAnswer } from './send-acceptance';
import { ThreadIdentity } from './thread-identity';

export interface SendCommand {
  accountId: string;
  to: string;
  text: string;
  /** From the body's `requestId` or the `Idempotency-Key` header, already reconciled. */
  requestId?: string;
}

/**
 * Accepting a send: the request becomes a queued message and an outbox item in one durable write, with
 * its WhatsApp message id fixed now, so every later attempt (after a crash too) is the same message.
 */
@Injectable()
export class SendService {
  constructor(
    private readonly acceptance: SendAcceptance,
    private readonly identity: ThreadIdentity,
    private readonly clock: Clock,
    private readonly metrics: MetricsRecorder,
  ) {}

  async send(command: SendCommand): Promise<SendAnswer> {
    const recipientJid = recipientToJid(command.to);
    const requestId = command.requestId ?? newRequestId();
    const hash = requestHash(recipientJid, command.text);
    // A contact known by its other form (LID or phone number) keeps its one thread.
    const clientJid = await this.identity.clientJidOf(command.accountId, recipientJid);
    const outcome = await this.acceptance.accept({
      accountId: command.accountId,
      requestId,
      threadId: threadIdOf(command.accountId, clientJid),
      clientJid,
      messageId: newMessageId(),
      waMessageId: newWaMessageId(),
      text: command.text,
      requestHash: hash,
      now: this.clock.now(),
    });
    if (outcome.kind === 'existing' && outcome.requestHash !== hash) throw new IdempotencyConflict(requestId);
    this.metrics.sendRequest(outcome.kind === 'existing' ? 'replayed' : 'accepted');
    return outcome.answer;
  }
}

/** Body `requestId` and header `Idempotency-Key` name the same thing; two different values are a mistake. */
export function reconcileRequestId(bodyRequestId: string | undefined, headerKey: string | undefined): string | undefined {
  if (headerKey !== undefined && !isRequestId(headerKey)) throw new InvalidInput('Idempotency-Key', `must be ${REQUEST_ID_RULE}`);
  if (headerKey !== undefined && bodyRequestId !== undefined && headerKey !== bodyRequestId) {
    throw new InvalidInput('Idempotency-Key', 'differs from the body requestId; send one, or both equal');
  }
  return bodyRequestId ?? headerKey;
}
