import { StoredBlob } from '../media/blob-store';
import { Claim, ClaimRequest } from '../outbox/claim-rule';
import { MediaDownload } from './media-download';

/**
 * The download work items (made by the inbound write: ThreadRepository.storeProviderMessage with a `download`) on the
 * claim engine, keyed by account. Adapters: sqlite/media-downloads.repository.sqlite.ts.
 */
export abstract class MediaDownloads {
  /**
   * Claims due items (queued and due, or processing under a lease that ran out) of the given accounts, at
   * most `perAccount` (or the account's `limit`) each, only while `owner` still holds each account under
   * its epoch, atomically: only the instance with the account's socket downloads its files.
   */
  abstract claim(request: ClaimRequest): Promise<MediaDownload[]>;
  /**
   * The bytes are in the blob store: in one write, the item ends `stored`, its message's media becomes
   * `{…, sha256, size, stored: true}` and `message.media_stored` is appended. Only while the claim holds.
   */
  abstract recordStored(claim: Claim, blob: StoredBlob, now: number): Promise<boolean>;
  /** A transient failure: queued again, due at `nextAttemptAt`, while the claim holds. */
  abstract release(claim: Claim, error: string, nextAttemptAt: number, now: number): Promise<boolean>;
  /** No retry can pass (too large, no attempts left): the item ends `failed`; its message stays not stored. */
  abstract markFailed(claim: Claim, error: string, now: number): Promise<boolean>;
  /** Shutdown: this owner's claims go back to queued, the attempt not counted. */
  abstract releaseAll(owner: string, now: number): Promise<number>;
}
