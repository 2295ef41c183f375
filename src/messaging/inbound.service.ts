import { Injectable, Logger } from '@nestjs/common';
import { ProviderEventBus } from '../whatsapp/provider-event-bus';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { newMessageId } from '../common/ids';
import { MetricsRecorder } from '../metrics/metrics-recorder';
import { threadIdOf } from '../common/jid';
import { ProviderEventSpool } from '../spool/provider-event-spool';
import { LidMapping, ProviderMessage } from '../whatsapp/whatsapp-provider';
import { MessageRecord } from './message';
import { ThreadIdentity } from './thread-identity';
import { ThreadRepository } from './thread.repository';

/**
 * Stores what WhatsApp delivers to an account, exactly once however often it is repeated (`notify`, and
 * `append` replays after a reconnect), in that account's thread for the contact. Messages the owner typed
 * on the phone are outbound; Baileys' echo of our own send finds the message the send path made.
 * What the store refuses waits in the spool and is stored again later: a duplicate then changes nothing.
 */
@Injectable()
export class InboundService {
  private readonly logger = new Logger('InboundService');
  readonly counts = { stored: 0, duplicate: 0 };

  constructor(
    private readonly threads: ThreadRepository,
    private readonly identity: ThreadIdentity,
    private readonly clock: Clock,
    private readonly metrics: MetricsRecorder,
    private readonly config: AppConfig,
    spool: ProviderEventSpool,
    events: ProviderEventBus,
  ) {
    const storeMessage = spool.intake(
      'message',
      (event: { accountId: string; message: ProviderMessage }) => this.store(event.accountId, event.message),
      (event) => ({ accountId: event.accountId, waMessageId: event.message.waMessageId }),
    );
    // Kept like messages: a pair lost would give a contact's next LID-only message a second thread.
    const pair = spool.intake(
      'lidMapping',
      (event: { accountId: string; mapping: LidMapping }) => this.identity.pair(event.accountId, event.mapping.lid, event.mapping.pn),
      (event) => ({ accountId: event.accountId }),
    );
    events.on('message', (accountId, message) => storeMessage({ accountId, message }));
    events.on('lidMapping', (accountId, mapping) => pair({ accountId, mapping }));
  }

  async store(accountId: string, message: ProviderMessage): Promise<'stored' | 'duplicate'> {
    const clientJid = await this.identity.clientJidOf(accountId, message.chatJid, message.chatAltJid);
    const now = this.clock.now();
    const record: MessageRecord = {
      threadId: threadIdOf(accountId, clientJid),
      messageId: newMessageId(),
      accountId,
      clientJid,
      direction: message.fromMe ? 'outbound' : 'inbound',
      text: message.text,
      // Typed on the phone: WhatsApp already has it. Received: it reached us.
      status: message.fromMe ? 'sent' : 'delivered',
      waMessageId: message.waMessageId,
      createdAt: message.timestamp,
      updatedAt: now,
      ...(message.fromMe ? { sentAt: message.timestamp } : { deliveredAt: message.timestamp }),
      ...(message.participant ? { participant: message.participant } : {}),
      type: message.type,
      ...(message.media ? { media: message.media } : {}),
      ...(message.content ? { content: message.content } : {}),
    };
    const download = this.config.mediaDownload === 'all' ? (message.mediaSource ?? undefined) : undefined;
    const outcome = await this.threads.storeProviderMessage(record, download);
    this.counts[outcome] += 1;
    this.metrics.inboundMessage(outcome, message.fromMe);
    this.logger.debug({ accountId, threadId: record.threadId, waMessageId: message.waMessageId, upsertType: message.upsertType, outcome }, 'provider message');
    return outcome;
  }
}
