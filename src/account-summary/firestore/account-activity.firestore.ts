import { Injectable } from '@nestjs/common';
import { Timestamp } from 'firebase-admin/firestore';
import { FirestoreStore } from '../../store/firestore/firestore-store';
import { toMillis } from '../../store/firestore/firestore-time';
import { MESSAGES } from '../../messaging/firestore/message-docs.firestore';
import { AccountActivity, LastMessageTimes } from '../account-activity';

/** Messages live under `threads/{threadId}/messages`, so one collection-group query per direction. */
@Injectable()
export class FirestoreAccountActivity extends AccountActivity {
  constructor(private readonly store: FirestoreStore) {
    super();
  }

  async lastMessageTimes(accountId: string): Promise<LastMessageTimes> {
    const [inbound, outbound] = await Promise.all([this.latest(accountId, 'inbound'), this.latest(accountId, 'outbound')]);
    return { inbound, outbound };
  }

  /** Needs the collection-group index messages (accountId, direction, createdAt desc): firestore.indexes.json. */
  private async latest(accountId: string, direction: 'inbound' | 'outbound'): Promise<number | null> {
    const found = await this.store.db.collectionGroup(MESSAGES).where('accountId', '==', accountId).where('direction', '==', direction).orderBy('createdAt', 'desc').limit(1).get();
    const createdAt = found.docs[0]?.get('createdAt') as Timestamp | undefined;
    return createdAt ? toMillis(createdAt) : null;
  }
}
