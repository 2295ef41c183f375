import { Injectable } from '@nestjs/common';
import { Readable } from 'node:stream';
import { MediaNotStored, MessageNotFound, RangeNotSatisfiable } from '../common/errors';
import { assertMessageId } from '../common/ids';
import { parseThreadId } from '../common/jid';
import { BlobStore } from '../media/blob-store';
import { MessageMedia } from '../media/media';
import { ThreadRepository } from '../messaging/thread.repository';
import { rangeAsked } from './byte-range';

/** What a media answer sends: the bytes (all or one range) and what its headers say about them. */
export interface MediaAnswer {
  media: MessageMedia;
  size: number;
  range: { start: number; end: number } | null;
  bytes: Readable;
}

/**
 * A media message's stored bytes, for the keyed route and for signed links alike: the message must exist
 * and its file be stored (404 otherwise, as for a file not downloaded yet), and one `Range` is honoured.
 */
@Injectable()
export class MediaServing {
  constructor(
    private readonly threads: ThreadRepository,
    private readonly blobs: BlobStore,
  ) {}

  async open(threadId: string, messageId: string, rangeHeader: string | undefined): Promise<MediaAnswer> {
    parseThreadId(threadId);
    const message = await this.threads.getMessage(threadId, assertMessageId(messageId));
    if (!message) throw new MessageNotFound(messageId);
    const media = message.media;
    const size = media?.stored ? await this.blobs.stat(media.sha256) : null;
    if (!media || size === null) throw new MediaNotStored(messageId);
    const asked = rangeAsked(rangeHeader, size);
    if (asked.kind === 'unsatisfiable') throw new RangeNotSatisfiable(size);
    const range = asked.kind === 'range' ? { start: asked.start, end: asked.end } : null;
    // Empty files have no byte to open a range on; a stored blob never is one, but the route must not fail if it were.
    const bytes = size === 0 ? Readable.from([]) : await this.blobs.open(media.sha256, range ?? undefined);
    if (!bytes) throw new MediaNotStored(messageId);
    return { media, size, range, bytes };
  }
}
