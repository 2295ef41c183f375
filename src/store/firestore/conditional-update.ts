import { DocumentData, DocumentReference, DocumentSnapshot, UpdateData } from 'firebase-admin/firestore';
import { isFailedPrecondition, isNotFound } from './firestore-errors';

/** A document changed under us this many times in a row is contended beyond reason: give up loudly. */
const MAX_ATTEMPTS = 10;

/**
 * Writes `changes(data)` to one document only while `holds(data)` is true of it, without a transaction:
 * reads it (or starts from `seen`), then writes on condition that nobody wrote it since (its update time
 * as read). A refused write means someone did: read again and decide again. One read and one write, and
 * no lock held between them, so racing writers never wait for each other.
 * Returns the document as written, or undefined when it is absent or the condition does not hold.
 */
export async function updateWhile<T extends DocumentData>(
  ref: DocumentReference,
  holds: (data: T) => boolean,
  changes: (data: T) => UpdateData<DocumentData>,
  seen?: DocumentSnapshot,
): Promise<T | undefined> {
  let snapshot = seen ?? (await ref.get());
  for (let attempt = 1; ; attempt++) {
    if (!snapshot.exists) return undefined;
    const data = snapshot.data() as T;
    if (!holds(data)) return undefined;
    const update = changes(data);
    try {
      await ref.update(update, { lastUpdateTime: snapshot.updateTime! });
      return { ...data, ...update } as T;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      if (!isFailedPrecondition(error) || attempt >= MAX_ATTEMPTS) throw error;
    }
    snapshot = await ref.get();
  }
}
