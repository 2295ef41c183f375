import { Injectable } from '@nestjs/common';
import { FieldValue } from 'firebase-admin/firestore';
import { MessageDoc, MessageLookupDoc, messageLookupRef, toMessage } from '../../messaging/firestore/message-docs.firestore';
import { STATUS_EVENT, messageEvent } from '../../messaging/message-events';
import { appendEventIn } from '../../events/firestore/event-docs.firestore';
import { updateWhile } from '../../store/firestore/conditional-update';
import { FirestoreStore } from '../../store/firestore/firestore-store';
import { toTimestamp } from '../../store/firestore/firestore-time';
import { STATUS_TIME_FIELD, statusRank } from '../../messaging/message-status';
import { StatusOutcome } from '../../messaging/message-status';
import { MessageStatusRepository, StatusReport } from '../message-status.repository';

@Injectable()
export class FirestoreMessageStatusRepository extends MessageStatusRepository {
  constructor(private readonly store: FirestoreStore) {
    super();
  }

  /**
   * Reads the lookup, then the message; writes it only when the status moves forward or its time is
   * still missing (a `sent` after `delivered` still tells when it was sent), conditioned on the message
   * not having changed since it was read: no transaction, and racing receipts re-read and decide again.
   * The change's event commits in the same batch.
   */
  async advance(report: StatusReport): Promise<StatusOutcome> {
    const db = this.store.db;
    const lookup = await messageLookupRef(db, report.accountId, report.direction, report.waMessageId).get();
    if (!lookup.exists) return 'unknown';
    const rank = statusRank(report.status);
    const timeField = STATUS_TIME_FIELD[report.status];
    const at = toTimestamp(report.at);
    const ref = db.doc((lookup.data() as MessageLookupDoc).messageRef);
    // On the thread's turn in this process, with the outbox's ends of its items (see FirestoreOutboxLifecycle.inThreadTurn).
    const written = await this.store.inTurn(ref.parent.parent!.path, () => updateWhile<MessageDoc>(
      ref,
      (message) => message.statusRank < rank || message[timeField] === undefined,
      (message) => ({
        ...(message.statusRank < rank ? { status: report.status, statusRank: rank, statusUncertain: FieldValue.delete(), ...(report.failure ? { error: report.failure.detail ?? FieldValue.delete(), failureReason: report.failure.reason } : {}) } : {}),
        [timeField]: message[timeField] ?? at,
        updatedAt: at,
      }),
      undefined,
      // Any change is news, also a time first recorded below the status (a `delivered` after `read`).
      (_before, message, batch) => appendEventIn(this.store, batch, messageEvent(STATUS_EVENT[report.status], toMessage(ref.id, message), report.at)),
    ));
    return written?.status === report.status ? 'advanced' : 'unchanged';
  }
}
