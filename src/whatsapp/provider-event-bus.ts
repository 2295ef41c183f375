import { Injectable, Logger } from '@nestjs/common';
import { MetricsRecorder } from '../metrics/metrics-recorder';
import { EventBus } from './event-bus';
import { LidMapping, ProviderMessage, ProviderReceipt } from './whatsapp-provider';

/** What this process's account sockets hear, each led by the account it came from. */
export interface ProviderEventMap {
  message: [accountId: string, message: ProviderMessage];
  receipt: [accountId: string, receipt: ProviderReceipt];
  lidMapping: [accountId: string, mapping: LidMapping];
  /** Published by accounts once the account's socket is open and recorded here: the outbox may send through it. */
  connected: [accountId: string];
}

/**
 * The one bus of provider events in the app: accounts publishes what each socket hears, and messaging
 * (inbound messages, aliases), receipts and the outbox subscribe, so none of them imports accounts to
 * hear it. The storing listeners spool what the store refuses and never fail; should one fail anyway,
 * it is counted and logged here and never reaches the socket.
 */
@Injectable()
export class ProviderEventBus extends EventBus<ProviderEventMap> {
  constructor(metrics: MetricsRecorder) {
    const logger = new Logger('ProviderEventBus');
    super((event, args, error) => {
      metrics.providerEventFailed(event);
      logger.error({ err: error, accountId: args[0], event }, 'provider event listener failed');
    });
  }
}
