import { Injectable } from '@nestjs/common';
import { pipeline } from 'node:stream';
import { Clock } from '../common/clock';
import { IdempotencyConflict, InvalidInput, MediaTooLarge } from '../common/errors';
import { newMessageId, newRequestId } from '../common/ids';
import { recipientToJid, threadIdOf } from '../common/jid';
import { AppConfig } from '../config/app-config';
import { BlobStore, BlobTooLarge } from '../media/blob-store';
import { MEDIA_TYPES, MediaType } from '../media/media';
import { mediaLimitBytes, mediaLimitMib } from '../media/media-limits';
import { mediaRequestHash } from '../messaging/request-hash';
import { SendAcceptance, SendAnswer } from '../messaging/send-acceptance';
import { ThreadIdentity } from '../messaging/thread-identity';
import { MetricsRecorder } from '../metrics/metrics-recorder';
import { OutboundFailed } from '../outbound/outbound-client';
import { newWaMessageId } from '../whatsapp/message-id';
import { IncomingFile, StoredFile } from './media-file';
import { SignatureCheck } from './signature-check';

export interface MediaSendCommand {
  accountId: string;
  to: string;
  type: MediaType;
  caption: string | null;
  fileName: string | null;
  /** From the body's `requestId` or the `Idempotency-Key` header, already reconciled. */
  requestId?: string;
}

/** The types WhatsApp shows a caption with; on the others one would be silently lost. */
const CAPTIONED = new Set<MediaType>(['image', 'video', 'document']);

/**
 * Accepting a media send, in two steps the route runs in order: the file is streamed into the blob store
 * (checked against its type's first bytes and limit on the way, durable before anything refers to it),
 * then the send is accepted exactly as a text send is (send.service.ts), the message and its outbox item
 * carrying the stored file. Between the two the multipart route checks nothing followed the file.
 */
@Injectable()
export class SendMediaService {
  constructor(
    private readonly blobs: BlobStore,
    private readonly acceptance: SendAcceptance,
    private readonly identity: ThreadIdentity,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly metrics: MetricsRecorder,
  ) {}

  /** What can be refused before a byte is read: the recipient, and a caption the type cannot carry. */
  check(command: MediaSendCommand): void {
    recipientToJid(command.to);
    if (command.caption !== null && !CAPTIONED.has(command.type)) throw new InvalidInput('caption', `a ${command.type} message carries no caption in WhatsApp`);
  }

  /** The limit of a file of this type, checked before reading when the sender announces a length. */
  limitOf(type: MediaType): { bytes: number; mib: number } {
    return { bytes: mediaLimitBytes(type, this.config.mediaMaxMb), mib: mediaLimitMib(type, this.config.mediaMaxMb) };
  }

  /** The largest file any type may have: what a multipart form is bounded by before its type is known. */
  largestFileBytes(): number {
    return Math.max(...MEDIA_TYPES.map((type) => this.limitOf(type).bytes));
  }

  tooLarge(file: Pick<IncomingFile, 'field'>, type: MediaType): MediaTooLarge {
    return new MediaTooLarge(file.field, `the ${type} limit`, this.limitOf(type).mib);
  }

  async store(type: MediaType, file: IncomingFile): Promise<StoredFile> {
    const check = new SignatureCheck(type, file.field, file.declaredMimetype);
    // One pipeline: whichever side fails (the type check, the limit, the sender) ends both.
    const checked = pipeline(file.stream, check, () => undefined);
    try {
      const blob = await this.blobs.put(checked, this.limitOf(type).bytes);
      return { ...blob, mimetype: check.mimetype!, fileName: file.fileName, ...(file.url ? { url: file.url } : {}) };
    } catch (error) {
      if (error instanceof BlobTooLarge) throw this.tooLarge(file, type);
      // The URL's server stopped answering or broke off: the request is what failed, not this service.
      if (error instanceof OutboundFailed) throw new InvalidInput(file.field, `could not be fetched: ${error.message}`);
      throw error;
    } finally {
      file.release?.();
    }
  }

  async accept(command: MediaSendCommand, file: StoredFile): Promise<SendAnswer> {
    const recipientJid = recipientToJid(command.to);
    const requestId = command.requestId ?? newRequestId();
    const fileName = command.fileName ?? file.fileName;
    const hash = mediaRequestHash(recipientJid, { type: command.type, caption: command.caption, fileName, source: file.url ?? file.sha256 });
    const clientJid = await this.identity.clientJidOf(command.accountId, recipientJid);
    const outcome = await this.acceptance.accept({
      accountId: command.accountId,
      requestId,
      threadId: threadIdOf(command.accountId, clientJid),
      clientJid,
      messageId: newMessageId(),
      waMessageId: newWaMessageId(),
      text: null,
      media: { type: command.type, mimetype: file.mimetype, fileName, size: file.size, sha256: file.sha256, caption: command.caption, stored: true },
      requestHash: hash,
      now: this.clock.now(),
    });
    if (outcome.kind === 'existing' && outcome.requestHash !== hash) throw new IdempotencyConflict(requestId);
    this.metrics.sendRequest(outcome.kind === 'existing' ? 'replayed' : 'accepted');
    return outcome.answer;
  }
}
