import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { extractMessageContent, getContentType, proto, type WAMessage } from '@whiskeysockets/baileys';
import type { MediaType } from '../../media/media';
import { boomError } from './simulated-events';

/** What the next download of an account answers instead of the file: 404/410 (the URL is gone), or another failure once. */
export const MEDIA_FAULTS = [404, 410, 500, 503] as const;
export type MediaFault = (typeof MEDIA_FAULTS)[number];

/** The proto field each type is sent in; a voice note is `audioMessage` with `ptt`. */
const CONTENT_TYPE: Record<MediaType, string> = {
  image: 'imageMessage',
  video: 'videoMessage',
  audio: 'audioMessage',
  voice: 'audioMessage',
  document: 'documentMessage',
  sticker: 'stickerMessage',
};

export interface SimulatedFile {
  type: MediaType;
  bytes: Buffer;
  mimetype: string;
  fileName?: string;
  caption?: string;
}

/**
 * WhatsApp's media servers as the simulator plays them: a file sent to an account is kept under a URL of
 * the shape Baileys reads (`url` and `directPath`), downloads answer its bytes (the simulator's own download
 * path: nothing is encrypted, so Baileys' decryption is not run), a URL made gone answers its status with
 * the Boom `getHttpStream` throws, and a re-upload puts the file under a new URL.
 */
export class SimulatedMediaServer {
  private readonly files = new Map<string, Buffer>();
  private readonly gone = new Map<string, number>();
  private readonly faults = new Map<string, MediaFault>();

  /** The media part of a message carrying this file, as a phone sends it (the hashes and length of the bytes). */
  upload(file: SimulatedFile): proto.IMessage {
    const { url, directPath } = this.keep(file.bytes);
    const media = {
      url,
      directPath,
      mediaKey: randomBytes(32),
      fileSha256: createHash('sha256').update(file.bytes).digest(),
      fileEncSha256: randomBytes(32),
      fileLength: file.bytes.length,
      mimetype: file.mimetype,
      ...(file.fileName ? { fileName: file.fileName } : {}),
      ...(file.caption ? { caption: file.caption } : {}),
      ...(file.type === 'voice' ? { ptt: true } : {}),
    };
    return proto.Message.fromObject({ [CONTENT_TYPE[file.type]]: media });
  }

  /** The next download of this account answers `status` (404/410 also make that file's URL gone for good). */
  fault(accountId: string, status: MediaFault): void {
    this.faults.set(accountId, status);
  }

  async download(accountId: string, message: WAMessage): Promise<Readable> {
    const url = urlOf(message);
    const fault = this.faults.get(accountId);
    this.faults.delete(accountId);
    if (fault === 404 || fault === 410) this.gone.set(url, fault);
    const status = this.gone.get(url) ?? fault ?? (this.files.has(url) ? undefined : 404);
    if (status !== undefined) throw boomError(status, `Failed to fetch stream from ${url}`);
    return Readable.from([this.files.get(url)!]);
  }

  /** The phone uploads the file again: the message comes back with a new URL and path (`updateMediaMessage`). */
  reupload(message: WAMessage): WAMessage {
    const bytes = this.files.get(urlOf(message));
    if (!bytes) throw boomError(404, 'the phone no longer has the file');
    const content = extractMessageContent(message.message)!;
    const media = content[getContentType(content)!] as { url?: string; directPath?: string };
    Object.assign(media, this.keep(bytes));
    return message;
  }

  private keep(bytes: Buffer): { url: string; directPath: string } {
    const directPath = `/v/t62.7118-24/${randomBytes(12).toString('hex')}.enc`;
    const url = `https://mmg.whatsapp.net${directPath}`;
    this.files.set(url, bytes);
    return { url, directPath };
  }
}

function urlOf(message: WAMessage): string {
  const content = extractMessageContent(message.message);
  const media = content && (content[getContentType(content)!] as { url?: string } | undefined);
  if (!media?.url) throw boomError(400, 'No valid media URL or directPath present in message');
  return media.url;
}
