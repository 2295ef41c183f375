import type { Readable } from 'node:stream';
import { proto, type WAMessage } from '@whiskeysockets/baileys';
import type { MediaSource } from '../whatsapp-provider';
import { statusCodeOf } from './provider-events/connection-update';

/** What WhatsApp's media servers answer for a file they no longer have at that URL: the phone must upload it again. */
const REUPLOAD_STATUSES = new Set([404, 410]);

/** The socket's two media calls this needs (the real socket, the simulator and stand-ins provide them). */
export interface MediaSocket {
  /** Baileys' `downloadMediaMessage(message, 'stream', {}, { reuploadRequest, logger })`: the file's plain bytes. */
  downloadMedia(message: WAMessage): Promise<Readable>;
  /** Baileys' `sock.updateMediaMessage`: asks the phone to upload the file again; the message with its new url. */
  updateMediaMessage(message: WAMessage): Promise<WAMessage>;
}

/**
 * Downloads an inbound file, asking the phone to re-upload it when WhatsApp's servers answer 404 or 410.
 * Baileys 7.0.0-rc14's `downloadMediaMessage` would do that itself, but it reads the status from
 * `error.status`, while the error `getHttpStream` throws is a Boom carrying it in `output.statusCode`
 * (`status` is never set): its re-upload never runs. So the status is read here from the Boom, and the
 * download is tried once more with the message the re-upload answered (its new url and directPath).
 */
export async function downloadWithReupload(socket: MediaSocket, source: MediaSource): Promise<Readable> {
  const message = waMessageOf(source);
  try {
    return await socket.downloadMedia(message);
  } catch (error) {
    const status = statusCodeOf(error);
    if (status === null || !REUPLOAD_STATUSES.has(status)) throw error;
    return socket.downloadMedia(await socket.updateMediaMessage(message));
  }
}

/** The message as Baileys needs it for a download and a re-upload request, rebuilt from what was kept. */
export function waMessageOf({ key, file }: MediaSource): WAMessage {
  const bytes = (base64: string | null) => (base64 === null ? undefined : Buffer.from(base64, 'base64'));
  const media = {
    url: file.url ?? undefined,
    directPath: file.directPath ?? undefined,
    mediaKey: bytes(file.mediaKey),
    fileEncSha256: bytes(file.fileEncSha256),
    fileSha256: bytes(file.fileSha256),
    fileLength: file.fileLength,
    mimetype: file.mimetype,
  };
  return {
    key: { remoteJid: key.remoteJid, fromMe: key.fromMe, id: key.id, ...(key.participant ? { participant: key.participant } : {}) },
    message: proto.Message.fromObject({ [file.contentType]: media }),
  };
}
