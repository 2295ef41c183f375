import { EventEmitter } from 'node:events';
import { Injectable, Logger } from '@nestjs/common';
import { MetricsRecorder } from '../metrics/metrics-recorder';
import { LidMapping, ProviderMessage, ProviderReceipt } from '../whatsapp/whatsapp-provider';

interface AccountEventMap {
  message: [accountId: string, message: ProviderMessage];
  receipt: [accountId: string, receipt: ProviderReceipt];
  lidMapping: [accountId: string, mapping: LidMapping];
  /** The account's socket is open on this instance (the outbox may send through it). */
  connected: [accountId: string];
}

type Listener<E extends keyof AccountEventMap> = (...args: AccountEventMap[E]) => unknown;

/**
 * What the account sockets hear, fanned out to the modules that store it (inbound messages, receipts,
 * aliases) and to the outbox. The storing listeners spool what the store refuses and never fail; should
 * one fail anyway, it is counted and logged here and never reaches the socket.
 */
@Injectable()
export class AccountEvents {
  private readonly logger = new Logger('AccountEvents');
  private readonly emitter = new EventEmitter();

  constructor(private readonly metrics: MetricsRecorder) {}

  on<E extends keyof AccountEventMap>(event: E, listener: Listener<E>): void {
    this.emitter.on(event, (...args: AccountEventMap[E]) => {
      try {
        const result = listener(...args);
        if (result instanceof Promise) result.catch((error: unknown) => this.fail(event, args[0], error));
      } catch (error) {
        this.fail(event, args[0], error);
      }
    });
  }

  emit<E extends keyof AccountEventMap>(event: E, ...args: AccountEventMap[E]): void {
    this.emitter.emit(event, ...args);
  }

  private fail(event: string, accountId: string, error: unknown): void {
    this.metrics.providerEventFailed(event);
    this.logger.error({ err: error, accountId, event }, 'account event listener failed');
  }
}
