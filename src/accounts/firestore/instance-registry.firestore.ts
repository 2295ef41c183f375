import { Injectable } from '@nestjs/common';
import { Timestamp } from 'firebase-admin/firestore';
import { FirestoreStore } from '../../store/firestore/firestore-store';
import { toMillis, toTimestamp } from '../../store/firestore/firestore-time';
import { InstanceRecord, InstanceRegistry } from '../instance-registry';

/** `instances/{workerId}`: server-only (firestore.rules lets no client near it). */
export const INSTANCES = 'instances';

interface InstanceDoc {
  startedAt: Timestamp;
  seenAt: Timestamp;
}

/** Each instance writes only its own doc, so a plain set is enough: no other writer races it. */
@Injectable()
export class FirestoreInstanceRegistry extends InstanceRegistry {
  constructor(private readonly store: FirestoreStore) {
    super();
  }

  async heartbeat(instance: InstanceRecord): Promise<void> {
    const doc: InstanceDoc = { startedAt: toTimestamp(instance.startedAt), seenAt: toTimestamp(instance.seenAt) };
    await this.store.db.collection(INSTANCES).doc(instance.workerId).set(doc);
  }

  async seenSince(since: number): Promise<InstanceRecord[]> {
    const found = await this.store.db.collection(INSTANCES).where('seenAt', '>=', toTimestamp(since)).get();
    return found.docs
      .map((snapshot) => {
        const doc = snapshot.data() as InstanceDoc;
        return { workerId: snapshot.id, startedAt: toMillis(doc.startedAt), seenAt: toMillis(doc.seenAt) };
      })
      .sort((a, b) => a.workerId.localeCompare(b.workerId));
  }

  async leave(workerId: string): Promise<void> {
    await this.store.db.collection(INSTANCES).doc(workerId).delete();
  }
}
