import { DocumentData, DocumentReference, DocumentSnapshot, FieldValue, UpdateData, WriteBatch } from 'firebase-admin/firestore';
import { isFailedPrecondition, isNotFound } from './firestore-errors';

/** A document changed under us this many times in a row is contended beyond reason: give up loudly. */
const MAX_ATTEMPTS = 10;

/**
 * Writes that must commit with the update or not at all (an event reporting it), from the document as
 * read and as written: added to the update's batch, under the same precondition.
 */
export type AlongsideWrites<T> = (before: T, written: T, batch: WriteBatch) => void;

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
  alongside?: AlongsideWrites<T>,
): Promise<T | undefined> {
  let snapshot = seen ?? (await ref.get());
  for (let attempt = 1; ; attempt++) {
    if (!snapshot.exists) return undefined;
    const data = snapshot.data() as T;
    if (!holds(data)) return undefined;
    const update = changes(data);
    const written = asWritten(data, update);
    try {
      if (alongside) {
        const batch = ref.firestore.batch();
        batch.update(ref, update, { lastUpdateTime: snapshot.updateTime! });
        alongside(data, written, batch);
        await batch.commit();
      } else {
        await ref.update(update, { lastUpdateTime: snapshot.updateTime! });
      }
      return written;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      if (!isFailedPrecondition(error) || attempt >= MAX_ATTEMPTS) throw error;
    }
    snapshot = await ref.get();
  }
}

/**
 * The document after a top-level update: a field deleted is gone; any other sentinel (a server
 * timestamp, an increment) has no value until read back, so it is left out rather than shown as one.
 */
export function asWritten<T extends DocumentData>(data: T, update: UpdateData<DocumentData>): T {
  const written: DocumentData = { ...data };
  for (const [field, value] of Object.entries(update)) {
    if (value instanceof FieldValue) delete written[field];
    else written[field] = value;
  }
  return written as T;
}
