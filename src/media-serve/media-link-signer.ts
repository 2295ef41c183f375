import { dirname, join, resolve } from 'node:path';
import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../common/clock';
import { MediaLinkRefused } from '../common/errors';
import { keptSecret } from '../common/kept-secret';
import { AppConfig } from '../config/app-config';
import { MediaLinks } from '../messaging/media-links';
import { MediaLinkParts, isSignedBy, linkSignature, messageOfRef, messageRefOf } from './media-link';

/**
 * Mints and checks signed media links. The secret is MEDIA_LINK_SECRET or, on sqlite, one generated at
 * first start and kept beside the database as the generated API key is (every process on that file signs
 * alike). On Firestore without it no links are minted: machines share no file to keep one in.
 */
@Injectable()
export class MediaLinkSigner extends MediaLinks {
  private readonly logger = new Logger('MediaLinks');
  private readonly secret: string | null;

  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {
    super();
    this.secret = config.mediaLinkSecret ?? this.keptSecret();
  }

  linkTo(threadId: string, messageId: string): string | null {
    if (this.secret === null) return null;
    const messageRef = messageRefOf(threadId, messageId);
    const exp = Math.floor(this.clock.now() / 1000) + this.config.mediaLinkTtlS;
    return `${this.config.publicUrl}/media/${messageRef}?exp=${exp}&sig=${linkSignature(this.secret, messageRef, exp)}`;
  }

  /** The message a link names, once its signature and time are good; MediaLinkRefused (403) otherwise. */
  messageOf(link: { messageRef: string; exp?: string; sig?: string }): { threadId: string; messageId: string } {
    if (this.secret === null) throw new MediaLinkRefused('this deployment signs no media links (MEDIA_LINK_SECRET is unset)');
    const parts: MediaLinkParts = { messageRef: link.messageRef, exp: /^\d{1,12}$/.test(link.exp ?? '') ? Number(link.exp) : NaN, sig: link.sig ?? '' };
    if (Number.isNaN(parts.exp) || !isSignedBy(this.secret, parts)) throw new MediaLinkRefused('the link is not one this service signed');
    if (parts.exp * 1000 <= this.clock.now()) throw new MediaLinkRefused(`the link expired at ${new Date(parts.exp * 1000).toISOString()}`);
    // Signed by us, so the ref is one we made.
    return messageOfRef(parts.messageRef)!;
  }

  private keptSecret(): string | null {
    if (this.config.store !== 'sqlite') {
      this.logger.warn('MEDIA_LINK_SECRET is unset: messages carry no signed media links (the keyed media route still serves)');
      return null;
    }
    const path = resolve(join(dirname(this.config.sqlitePath), 'media-link-secret'));
    const { secret, generated } = keptSecret(path, 32);
    if (generated) this.logger.log({ path }, 'media links: MEDIA_LINK_SECRET unset; generated one, kept at this path (mode 0600)');
    return secret;
  }
}
