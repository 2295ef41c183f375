import { Injectable, Logger } from '@nestjs/common';
import { ProviderEventBus } from '../whatsapp/provider-event-bus';
import { Clock } from '../common/clock';
import { failureOf } from '../messaging/failure-reason';
import { MetricsRecorder } from '../metrics/metrics-recorder';
import { OutboxRepository } from '../outbox/outbox.repository';
import { ProviderEventSpool } from '../spool/provider-event-spool';
import { ProviderReceipt } from '../whatsapp/whatsapp-provider';
import { StatusOutcome } from '../messaging/message-status';
import { MessageStatusRepository } from './message-status.repository';
import { statusFromProvider } from './receipt-mapping';

/**
 * Provider receipts to message statuses, forward only, on the account the receipt came from. A receipt
 * also ends the message's open outbox item: a server rejection as `failed`, so it is never retried; any
 * other (`sent` or beyond) as `sent`, so a send WhatsApp has never ends `failed` when its own ack is late.
 * What the store refuses waits in the spool and is applied again later: forward only, a repeat changes nothing.
 */
@Injectable()
export class ReceiptsService {
  private readonly logger = new Logger('ReceiptsService');
  /** Receipts by outcome since start (metrics read these). */
  readonly counts: Record<StatusOutcome | 'ignored', number> = { advanced: 0, unchanged: 0, unknown: 0, ignored: 0 };

  constructor(
    private readonly statuses: MessageStatusRepository,
    private readonly outbox: OutboxRepository,
    private readonly clock: Clock,
    private readonly metrics: MetricsRecorder,
    spool: ProviderEventSpool,
    events: ProviderEventBus,
  ) {
    const applyReceipt = spool.intake(
      'receipt',
      (event: { accountId: string; receipt: ProviderReceipt }) => this.apply(event.accountId, event.receipt),
      (event) => ({ accountId: event.accountId, waMessageId: event.receipt.waMessageId }),
    );
    // Timed when heard, so one replayed later still says when it was delivered or read.
    events.on('receipt', (accountId, receipt) => applyReceipt({ accountId, receipt: { ...receipt, at: receipt.at ?? this.clock.now() } }));
  }

  async apply(accountId: string, receipt: ProviderReceipt): Promise<StatusOutcome | 'ignored'> {
    const status = statusFromProvider(receipt.providerStatus);
    // A transient rejection is the outbox's to retry under the same id; only a permanent one fails the message.
    if (status === null || (status === 'failed' && !receipt.permanentError)) return this.count('ignored', status);
    const at = receipt.at ?? this.clock.now();
    const failure = status === 'failed' ? failureOf('rejected', `rejected by WhatsApp${receipt.errorCode ? ` (code ${receipt.errorCode})` : ''}`) : undefined;
    const direction = receipt.fromMe ? 'outbound' : 'inbound';
    const outcome = await this.statuses.advance({ accountId, direction, waMessageId: receipt.waMessageId, status, at, failure });
    if (outcome === 'unknown') this.logger.debug({ accountId, waMessageId: receipt.waMessageId, status }, 'receipt for an unknown message ignored');
    if (status === 'failed' && direction === 'outbound' && outcome !== 'unknown') {
      await this.outbox.failBySending(accountId, receipt.waMessageId, failure!, this.clock.now());
    }
    // Only a receipt that moved the message can meet an open item: once the item is sent, so is the message.
    if (status !== 'failed' && direction === 'outbound' && outcome === 'advanced') {
      await this.outbox.markSentBySending(accountId, receipt.waMessageId, this.clock.now());
    }
    return this.count(outcome, status);
  }

  private count<T extends StatusOutcome | 'ignored'>(outcome: T, status: string | null): T {
    this.counts[outcome] += 1;
    this.metrics.receipt(outcome, status);
    return outcome;
  }
}
