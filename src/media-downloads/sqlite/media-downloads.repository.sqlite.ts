import { Injectable } from '@nestjs/common';
import { StoredBlob } from '../../media/blob-store';
import { MediaType } from '../../media/media';
import { appendEvent } from '../../events/sqlite/event-append.sqlite';
import { messageEvent } from '../../messaging/message-events';
import { MessageRow, toMessage } from '../../messaging/sqlite/message-rows.sqlite';
import { Claim, ClaimRequest, claimLimit } from '../../outbox/claim-rule';
import { SqliteStore } from '../../store/sqlite/sqlite-store';
import { MediaDownload } from '../media-download';
import { MediaDownloads } from '../media-downloads.repository';

interface MediaDownloadRow {
  id: string;
  account_id: string;
  thread_id: string;
  message_id: string;
  type: string;
  source: string;
  status: string;
  attempts: number;
  next_attempt_at: number;
  claimed_by: string | null;
  last_error: string | null;
}

const OPEN = `status IN ('queued', 'processing')`;
const STILL_CLAIMED = `id = @id AND status = 'processing' AND claimed_by = @claimedBy AND attempts = @attempts`;

@Injectable()
export class SqliteMediaDownloads extends MediaDownloads {
  constructor(private readonly store: SqliteStore) {
    super();
  }

  /** The outbox's claim condition without the thread order (files of one thread may come in any order). */
  claim(request: ClaimRequest): Promise<MediaDownload[]> {
    return this.store.writes.run(() => {
      const claimed: MediaDownload[] = [];
      for (const account of request.accounts) {
        const rows = this.store
          .statement(
            `UPDATE media_downloads SET status = 'processing', claimed_by = @owner, claim_epoch = @ownerEpoch, lease_until = @leaseUntil,
               attempts = attempts + 1, updated_at = @now
             WHERE id IN (
               SELECT d.id FROM media_downloads d
               WHERE d.account_id = @accountId AND d.${OPEN}
                 AND EXISTS (SELECT 1 FROM accounts a WHERE a.account_id = @accountId AND a.owner = @owner AND a.owner_epoch = @ownerEpoch)
                 AND ((d.status = 'queued' AND d.next_attempt_at <= @now) OR (d.status = 'processing' AND d.lease_until <= @now))
               ORDER BY d.next_attempt_at LIMIT @limit)
             RETURNING *`,
          )
          .all({ ...account, owner: request.owner, now: request.now, leaseUntil: request.now + request.leaseMs, limit: claimLimit(request, account) }) as MediaDownloadRow[];
        claimed.push(...rows.map(toMediaDownload));
      }
      return claimed;
    });
  }

  /** The item is done once its message says so: it is removed, the message keeping the outcome. */
  recordStored(claim: Claim, blob: StoredBlob, now: number): Promise<boolean> {
    return this.store.writes.run(() => {
      const item = this.store.statement(`DELETE FROM media_downloads WHERE ${STILL_CLAIMED} RETURNING thread_id, message_id`).get(claim) as
        | { thread_id: string; message_id: string }
        | undefined;
      if (!item) return false;
      const message = this.store
        .statement(
          `UPDATE messages SET media = json_set(media, '$.sha256', @sha256, '$.size', @size, '$.stored', json('true')), updated_at = @now
           WHERE thread_id = @thread_id AND message_id = @message_id AND media IS NOT NULL RETURNING *`,
        )
        .get({ ...item, sha256: blob.sha256, size: blob.size, now }) as MessageRow | undefined;
      if (message) appendEvent(this.store, messageEvent('message.media_stored', toMessage(message), now));
      return true;
    });
  }

  release(claim: Claim, error: string, nextAttemptAt: number, now: number): Promise<boolean> {
    return this.store.writes.run(
      () =>
        this.store
          .statement(
            `UPDATE media_downloads SET status = 'queued', next_attempt_at = @nextAttemptAt, last_error = @error, lease_until = NULL, claimed_by = NULL, updated_at = @now
             WHERE ${STILL_CLAIMED}`,
          )
          .run({ ...claim, error, nextAttemptAt, now }).changes === 1,
    );
  }

  markFailed(claim: Claim, error: string, now: number): Promise<boolean> {
    return this.store.writes.run(
      () =>
        this.store
          .statement(
            `UPDATE media_downloads SET status = 'failed', last_error = @error, lease_until = NULL, ended_at = @now, updated_at = @now
             WHERE ${STILL_CLAIMED}`,
          )
          .run({ ...claim, error, now }).changes === 1,
    );
  }

  releaseAll(owner: string, now: number): Promise<number> {
    return this.store.writes.run(
      () =>
        this.store
          .statement(
            `UPDATE media_downloads SET status = 'queued', attempts = attempts - 1, lease_until = NULL, claimed_by = NULL, updated_at = @now
             WHERE status = 'processing' AND claimed_by = @owner`,
          )
          .run({ owner, now }).changes,
    );
  }
}

function toMediaDownload(row: MediaDownloadRow): MediaDownload {
  return {
    id: row.id,
    accountId: row.account_id,
    threadId: row.thread_id,
    messageId: row.message_id,
    type: row.type as MediaType,
    source: JSON.parse(row.source),
    status: row.status as MediaDownload['status'],
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    claimedBy: row.claimed_by,
    lastError: row.last_error,
  };
}
