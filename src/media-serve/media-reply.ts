import { FastifyReply, onRequestHookHandler } from 'fastify';
import { MediaAnswer } from './media-serving.service';

/**
 * On every answer of a media route, errors included: the bytes are whatever a WhatsApp user sent, so a
 * browser must neither guess their type (an "image" that is HTML) nor run them as a page of this origin.
 */
export const MEDIA_ANSWER_HEADERS = { 'x-content-type-options': 'nosniff', 'content-security-policy': 'sandbox' } as const;

export const markMediaAnswer: onRequestHookHandler = (_request, reply, done) => {
  void reply.headers(MEDIA_ANSWER_HEADERS);
  done();
};

/** Shown in place (a browser plays or shows them); anything else is downloaded, never rendered. */
const SHOWN_IN_PLACE = /^(image|audio|video)\//;

/** Sends a media answer: 200 with the whole file, or 206 with the one range asked for. */
export function sendMedia(reply: FastifyReply, answer: MediaAnswer): void {
  const { media, size, range } = answer;
  const length = range ? range.end - range.start + 1 : size;
  const name = media.fileName ?? media.sha256.slice(0, 16);
  void reply
    .status(range ? 206 : 200)
    .headers({
      'content-type': media.mimetype,
      'content-length': String(length),
      'accept-ranges': 'bytes',
      'content-disposition': `${SHOWN_IN_PLACE.test(media.mimetype) ? 'inline' : 'attachment'}; ${fileNameParameters(name)}`,
      'cache-control': 'private, max-age=0',
      ...(range ? { 'content-range': `bytes ${range.start}-${range.end}/${size}` } : {}),
    })
    .send(answer.bytes);
}

/** RFC 6266: an ASCII fallback for old clients, and the exact name percent-encoded as UTF-8. */
function fileNameParameters(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
