import { MediaType } from '../media/media';

/** Enough of a file's start for every signature below (Opus names itself at byte 28 of its first Ogg page). */
export const SIGNATURE_BYTES = 64;

type Signature = (head: Buffer) => boolean;

const ascii = (head: Buffer, at: number, text: string) => head.length >= at + text.length && head.toString('latin1', at, at + text.length) === text;

const JPEG: Signature = (h) => h.length >= 3 && h[0] === 0xff && h[1] === 0xd8 && h[2] === 0xff;
const PNG: Signature = (h) => h.length >= 8 && h.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
const GIF: Signature = (h) => ascii(h, 0, 'GIF87a') || ascii(h, 0, 'GIF89a');
const WEBP: Signature = (h) => ascii(h, 0, 'RIFF') && ascii(h, 8, 'WEBP');
/** ISO base media (mp4, m4a, 3gp, QuickTime): a box size, then `ftyp` and the major brand. */
const brandOf = (h: Buffer) => (ascii(h, 4, 'ftyp') && h.length >= 12 ? h.toString('latin1', 8, 12) : null);
const THREE_GP: Signature = (h) => /^3g[p2]/.test(brandOf(h) ?? '');
const QUICKTIME: Signature = (h) => brandOf(h) === 'qt  ' || ['moov', 'mdat', 'wide', 'free'].some((box) => ascii(h, 4, box));
const MP4: Signature = (h) => brandOf(h) !== null && !THREE_GP(h) && !QUICKTIME(h);
const OGG: Signature = (h) => ascii(h, 0, 'OggS');
const OPUS: Signature = (h) => OGG(h) && ascii(h, 28, 'OpusHead');
/** An ID3 tag, or an MPEG audio frame sync whose layer is set (layer 00 is AAC's ADTS). */
const MP3: Signature = (h) => ascii(h, 0, 'ID3') || (h.length >= 2 && h[0] === 0xff && (h[1] & 0xe0) === 0xe0 && (h[1] & 0x06) !== 0);
const AAC: Signature = (h) => h.length >= 2 && h[0] === 0xff && (h[1] & 0xf6) === 0xf0;
const AMR: Signature = (h) => ascii(h, 0, '#!AMR');

/** Per type, the files WhatsApp takes as it, first match wins, with the mimetype the message then carries. */
const ACCEPTED: Record<Exclude<MediaType, 'document'>, Array<[Signature, string]>> = {
  image: [[JPEG, 'image/jpeg'], [PNG, 'image/png'], [WEBP, 'image/webp'], [GIF, 'image/gif']],
  video: [[THREE_GP, 'video/3gpp'], [QUICKTIME, 'video/quicktime'], [MP4, 'video/mp4']],
  voice: [[OPUS, 'audio/ogg; codecs=opus']],
  audio: [[MP3, 'audio/mpeg'], [AAC, 'audio/aac'], [OPUS, 'audio/ogg; codecs=opus'], [OGG, 'audio/ogg'], [AMR, 'audio/amr'], [MP4, 'audio/mp4']],
  sticker: [[WEBP, 'image/webp']],
};

const WHAT: Record<Exclude<MediaType, 'document'>, string> = {
  image: 'a JPEG, PNG, WebP or GIF image',
  video: 'an MP4, 3GP or QuickTime video',
  voice: 'Opus audio in Ogg',
  audio: 'MP3, M4A, Ogg, AAC or AMR audio',
  sticker: 'a WebP image',
};

export type SignatureVerdict = { mimetype: string } | { refused: string };

/**
 * Whether a file's first bytes are what its declared type says, and the mimetype it is then sent with:
 * the one its bytes show (a client's own mimetype is often wrong), or for a document the declared one,
 * since a document may be anything.
 */
export function signatureVerdict(type: MediaType, head: Buffer, declaredMimetype: string | null): SignatureVerdict {
  if (head.length === 0) return { refused: 'is empty' };
  if (type === 'document') return { mimetype: declaredMimetype || 'application/octet-stream' };
  const match = ACCEPTED[type].find(([signature]) => signature(head));
  return match ? { mimetype: match[1] } : { refused: `is not ${WHAT[type]}, as type "${type}" says` };
}
