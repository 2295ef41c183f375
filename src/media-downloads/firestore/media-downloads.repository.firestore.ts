import { Injectable } from '@nestjs/common';
import { DocumentData, Firestore, UpdateData } from 'firebase-admin/firestore';
import { accountRef } from '../../accounts/firestore/account-docs.firestore';
import { appendEventIn } from '../../events/firestore/event-docs.firestore';
import { StoredBlob } from '../../media/blob-store';
import { MediaType } from '../../media/media';
import { MEDIA_DOWNLOADS, MediaDownloadDoc, mediaDownloadRef } from '../../messaging/firestore/media-download-docs.firestore';
import { MessageDoc, messageRef, toMessage } from '../../messaging/firestore/message-docs.firestore';
import { messageEvent } from '../../messaging/message-events';
import { Claim, ClaimRequest, claimLimit } from '../../outbox/claim-rule';
import { updateWhile } from '../../store/firestore/conditional-update';
import { isFailedPrecondition } from '../../store/firestore/firestore-errors';
import { FirestoreStore } from '../../store/firestore/firestore-store';
import { toMillis, toTimestamp } from '../../store/firestore/firestore-time';
import { MediaDownload } from '../media-download';
import { MediaDownloads } from '../media-downloads.repository';

/** Looks per claim when racing claimers keep taking the chosen items first, as the outbox's claim does. */
const CLAIM_ATTEMPTS = 5;
const isStillClaimed = (claim: Claim) => (doc: MediaDownloadDoc) => doc.status === 'processing' && doc.claimedBy === claim.claimedBy && doc.attempts === claim.attempts;

/**
 * The download items in `mediaDownloads` (made by the inbound write: messaging/firestore). A claim is the
 * outbox's without the thread turn (one thread's files may come in any order): one query for the due
 * items of the account, then one transaction reading only the account doc (owner and epoch) and writing
 * each item on condition it is unchanged since the query. Needs the index (accountId, claimableAt).
 */
@Injectable()
export class FirestoreMediaDownloads extends MediaDownloads {
  private readonly db: Firestore;

  constructor(private readonly store: FirestoreStore) {
    super();
    this.db = store.db;
  }

  async claim(request: ClaimRequest): Promise<MediaDownload[]> {
    const perAccount = await Promise.all(
      request.accounts.map((account) => this.store.inTurn(`${accountRef(this.db, account.accountId).path}#media-claim`, () => this.claimFor(request, account))),
    );
    return perAccount.flat();
  }

  /** In one transaction: the item goes, its message's media is the stored file, and the event says so. */
  recordStored(claim: Claim, blob: StoredBlob, now: number): Promise<boolean> {
    const ref = this.db.collection(MEDIA_DOWNLOADS).doc(claim.id);
    return this.db.runTransaction(async (tx) => {
      const item = await tx.get(ref);
      if (!item.exists || !isStillClaimed(claim)(item.data() as MediaDownloadDoc)) return false;
      const { threadId, messageId } = item.data() as MediaDownloadDoc;
      const message = await tx.get(messageRef(this.db, threadId, messageId));
      tx.delete(ref);
      const doc = message.data() as MessageDoc | undefined;
      if (doc?.media) {
        const written: MessageDoc = { ...doc, media: { ...doc.media, sha256: blob.sha256, size: blob.size, stored: true }, updatedAt: toTimestamp(now) };
        tx.update(message.ref, { 'media.sha256': blob.sha256, 'media.size': blob.size, 'media.stored': true, updatedAt: written.updatedAt });
        appendEventIn(this.store, tx, messageEvent('message.media_stored', toMessage(messageId, written), now));
      }
      return true;
    });
  }

  async release(claim: Claim, error: string, nextAttemptAt: number, now: number): Promise<boolean> {
    const due = toTimestamp(nextAttemptAt);
    return this.whileClaimed(claim, { status: 'queued', nextAttemptAt: due, claimableAt: due, lastError: error, leaseUntil: null, claimedBy: null, updatedAt: toTimestamp(now) });
  }

  async markFailed(claim: Claim, error: string, now: number): Promise<boolean> {
    return this.whileClaimed(claim, { status: 'failed', claimableAt: null, lastError: error, leaseUntil: null, updatedAt: toTimestamp(now) });
  }

  /** Equality on (claimedBy, status), then one conditioned write per item; the attempt not counted. */
  async releaseAll(owner: string, now: number): Promise<number> {
    const claimed = await this.db.collection(MEDIA_DOWNLOADS).where('claimedBy', '==', owner).where('status', '==', 'processing').get();
    const released = await Promise.all(
      claimed.docs.map((seen) =>
        updateWhile<MediaDownloadDoc>(
          seen.ref,
          (doc) => doc.status === 'processing' && doc.claimedBy === owner,
          (doc) => ({ status: 'queued', attempts: doc.attempts - 1, claimableAt: doc.nextAttemptAt, leaseUntil: null, claimedBy: null, updatedAt: toTimestamp(now) }),
          seen,
        ),
      ),
    );
    return released.filter(Boolean).length;
  }

  private async claimFor(request: ClaimRequest, account: ClaimRequest['accounts'][number]): Promise<MediaDownload[]> {
    const { now, owner } = request;
    const due = this.db.collection(MEDIA_DOWNLOADS).where('accountId', '==', account.accountId).where('claimableAt', '<=', toTimestamp(now)).orderBy('claimableAt');
    for (let attempt = 1; attempt <= CLAIM_ATTEMPTS; attempt++) {
      const found = await due.limit(claimLimit(request, account)).get();
      if (found.empty) return [];
      try {
        return await this.db.runTransaction(async (tx) => {
          const holder = await tx.get(accountRef(this.db, account.accountId));
          if (holder.get('owner') !== owner || holder.get('ownerEpoch') !== account.ownerEpoch) return [];
          return found.docs.map((doc) => {
            const seen = doc.data() as MediaDownloadDoc;
            const leaseUntil = toTimestamp(now + request.leaseMs);
            const claimed = { status: 'processing' as const, claimedBy: owner, claimEpoch: account.ownerEpoch, leaseUntil, claimableAt: leaseUntil, attempts: seen.attempts + 1, updatedAt: toTimestamp(now) };
            tx.update(doc.ref, claimed, { lastUpdateTime: doc.updateTime });
            return toMediaDownload(doc.id, { ...seen, ...claimed });
          });
        });
      } catch (error) {
        if (!isFailedPrecondition(error)) throw error;
      }
    }
    // Still losing races after several looks: leave the rest to the next poll.
    return [];
  }

  private async whileClaimed(claim: Claim, changes: UpdateData<DocumentData>): Promise<boolean> {
    return (await updateWhile<MediaDownloadDoc>(mediaDownloadRef(this.db, claim.id), isStillClaimed(claim), () => changes)) !== undefined;
  }
}

function toMediaDownload(id: string, doc: MediaDownloadDoc): MediaDownload {
  return {
    id,
    accountId: doc.accountId,
    threadId: doc.threadId,
    messageId: doc.messageId,
    type: doc.type as MediaType,
    source: doc.source,
    status: doc.status,
    attempts: doc.attempts,
    nextAttemptAt: toMillis(doc.nextAttemptAt),
    claimedBy: doc.claimedBy,
    lastError: doc.lastError,
  };
}
