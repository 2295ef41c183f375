import { createHash, randomBytes } from 'node:crypto';
import type { MediaType } from '../../src/media/media';

/** Each type's first bytes as WhatsApp takes it (src/media-send/file-signature.ts), then `size` bytes of noise. */
const HEADS: Record<MediaType, () => Buffer> = {
  image: () => Buffer.from([0xff, 0xd8, 0xff, 0xe0]),
  video: () => Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypisom', 'latin1')]),
  audio: () => Buffer.from('ID3', 'latin1'),
  voice: () => {
    const page = Buffer.alloc(36);
    page.write('OggS', 0, 'latin1');
    page.write('OpusHead', 28, 'latin1');
    return page;
  },
  document: () => Buffer.from('%PDF-1.4\n', 'latin1'),
  sticker: () => Buffer.concat([Buffer.from('RIFF', 'latin1'), Buffer.alloc(4), Buffer.from('WEBP', 'latin1')]),
};

export const FILE_NAMES: Record<MediaType, string> = {
  image: 'photo.jpg',
  video: 'clip.mp4',
  audio: 'song.mp3',
  voice: 'note.ogg',
  document: 'invoice.pdf',
  sticker: 'sticker.webp',
};

export function sampleFile(type: MediaType, size = 4096): Buffer {
  const head = HEADS[type]();
  return Buffer.concat([head, randomBytes(Math.max(0, size - head.length))]);
}

export const sha256Of = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

export type FormPart = { name: string; value: string } | { name: string; file: Buffer; fileName: string; mimetype: string };

/** A multipart/form-data body, its parts in the order given (the route cares: fields before the file). */
export function multipartBody(parts: FormPart[]): { payload: Buffer; contentType: string } {
  const boundary = `----media-test-${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition = 'file' in part ? `form-data; name="${part.name}"; filename="${part.fileName}"` : `form-data; name="${part.name}"`;
    const type = 'file' in part ? `\r\nContent-Type: ${part.mimetype}` : '';
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}${type}\r\n\r\n`), 'file' in part ? part.file : Buffer.from(part.value), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}
