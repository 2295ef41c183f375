import { Firestore } from 'firebase-admin/firestore';

/**
 * Count aggregations on `status` (Firestore's automatic single-field index): billed one read per 1,000
 * index entries, and no document is fetched, so a scrape stays cheap however large the collection.
 */
export async function countByStatus<S extends string>(db: Firestore, collection: string, statuses: readonly S[]): Promise<Record<S, number>> {
  const counts = await Promise.all(statuses.map(async (status) => (await db.collection(collection).where('status', '==', status).count().get()).data().count));
  return Object.fromEntries(statuses.map((status, i) => [status, counts[i]])) as Record<S, number>;
}
