import { MediaType } from '../media/media';
import { MediaSource } from '../whatsapp/whatsapp-provider';

/**
 * The work of fetching one inbound file into the blob store, made in the same write as its message (so
 * no file is forgotten by a crash between) and kept until the bytes are stored or it fails for good. It
 * holds what the download needs (`source`: the media proto's fields), so a restart loses nothing.
 */
export interface MediaDownload {
  id: string;
  accountId: string;
  threadId: string;
  messageId: string;
  type: MediaType;
  source: MediaSource;
  status: 'queued' | 'processing' | 'failed';
  attempts: number;
  nextAttemptAt: number;
  claimedBy: string | null;
  lastError: string | null;
}
