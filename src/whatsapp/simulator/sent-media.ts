import { createHash, randomBytes } from 'node:crypto';
import { proto, type AnyMediaMessageContent, type WAMediaUpload } from '@whiskeysockets/baileys';
import type { MediaType } from '../../media/media';

/** A media send as the simulator's log records it: the bytes Baileys was given, hashed as WhatsApp would receive them. */
export interface SentMediaLine {
  type: MediaType;
  mimetype: string;
  size: number;
  sha256: string;
}

export interface SentMedia {
  line: SentMediaLine;
  /**
   * The message Baileys would echo: the file's fields, and a key and path as an upload gives them (the
   * simulator uploads nowhere, but an echo without them is not a message WhatsApp sends, and is dropped).
   */
  message: proto.IMessage;
}

const KINDS = ['image', 'video', 'audio', 'document', 'sticker'] as const;

/**
 * Reads a media send to its end, as Baileys' `encryptedStream` does, hashing and counting: the log then
 * proves which bytes left. Only what our adapter sends is accepted (`outgoing-content.ts`): a stream or a buffer.
 */
export async function readSentMedia(content: AnyMediaMessageContent): Promise<SentMedia> {
  const kind = KINDS.find((key) => key in content);
  if (!kind) throw new Error('not a media message');
  const fields = content as Record<string, unknown>;
  const upload = fields[kind] as WAMediaUpload;
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of chunksOf(upload)) {
    hash.update(chunk);
    size += chunk.length;
  }
  const sha256 = hash.digest('hex');
  const mimetype = String(fields.mimetype ?? '');
  const type: MediaType = kind === 'audio' && fields.ptt === true ? 'voice' : kind;
  const uploaded = { mediaKey: randomBytes(32), directPath: `/simulated/${sha256}` };
  const file = { mimetype, fileSha256: Buffer.from(sha256, 'hex'), fileLength: size, caption: fields.caption, fileName: fields.fileName, ptt: fields.ptt, ...uploaded };
  return { line: { type, mimetype, size, sha256 }, message: proto.Message.fromObject({ [`${kind}Message`]: file }) };
}

function chunksOf(upload: WAMediaUpload): AsyncIterable<Buffer> | Buffer[] {
  if (Buffer.isBuffer(upload)) return [upload];
  if ('stream' in upload) return upload.stream as AsyncIterable<Buffer>;
  throw new Error('the simulator takes media as a stream or a buffer, not a URL');
}
