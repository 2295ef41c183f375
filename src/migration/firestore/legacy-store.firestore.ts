import { DocumentReference, FieldPath, Firestore, Timestamp, WriteBatch } from 'firebase-admin/firestore';
import { AccountRecord } from '../../accounts/account';
import { AccountDoc, accountRef, accountsCollection, toAccount, toAccountDoc } from '../../accounts/firestore/account-docs.firestore';
import { MessageRecord } from '../../messaging/message';
import { MESSAGES, MessageDoc, MessageLookupDoc, THREADS, ThreadDoc, messageLookupRef, messageRef, threadRef, toLookupDoc, toMessage, toMessageDoc, toThread } from '../../messaging/firestore/message-docs.firestore';
import { OutboxItem } from '../../outbox/outbox-item';
import { OUTBOX, OutboxDoc, outboxCollection, toOutboxDoc, toOutboxItem } from '../../outbox/firestore/outbox-docs.firestore';
import { FirestoreStore } from '../../store/firestore/firestore-store';
import { toTimestamp } from '../../store/firestore/firestore-time';
import { settleTurn } from './thread-turn-settle.firestore';
import { legacyAccountOf, legacyMessageOf, legacyOutboxItemOf } from './legacy-docs.firestore';
import { LegacyAccount, LegacyMessage, LegacyOutboxItem, LookupEntry, LookupKey, ThreadSummary, isOldLayoutId, lookupId } from '../legacy-records';
import { LayoutChange, LegacyStore } from '../legacy-store';

export const WA_ACCOUNTS = 'wa_accounts';

/** `getAll` takes any number of refs, but one huge call is one huge response: read in slices. */
const READS_PER_CALL = 300;

export class FirestoreLegacyStore extends LegacyStore {
  readonly kind = 'firestore';
  private readonly db: Firestore;

  constructor(private readonly store: FirestoreStore) {
    super();
    this.db = store.db;
  }

  /** `listDocuments` also returns ids that have no doc but hold a subcollection: old threads often do. */
  async oldThreadIds(): Promise<string[]> {
    return (await this.db.collection(THREADS).listDocuments()).map((ref) => ref.id).filter(isOldLayoutId);
  }

  async oldMessages(oldThreadId: string): Promise<LegacyMessage[]> {
    const snapshot = await threadRef(this.db, oldThreadId).collection(MESSAGES).get();
    return snapshot.docs.map((doc) => legacyMessageOf(oldThreadId, doc.id, doc.data()));
  }

  /** Ids only (no field reads) to tell old keys from new, then the old docs alone. */
  async oldOutboxItems(): Promise<LegacyOutboxItem[]> {
    const oldRefs = (await outboxCollection(this.db).listDocuments()).filter((ref) => isOldLayoutId(ref.id));
    const docs = await this.readAll(oldRefs);
    return docs.flatMap((doc) => (doc.exists ? [legacyOutboxItemOf(doc.id, doc.data()!)] : []));
  }

  async legacyAccounts(): Promise<LegacyAccount[]> {
    const snapshot = await this.db.collection(WA_ACCOUNTS).get();
    return snapshot.docs.map((doc) => legacyAccountOf(doc.id, doc.data()));
  }

  async messages(threadId: string, messageIds: string[]): Promise<Map<string, MessageRecord>> {
    const docs = await this.readAll(messageIds.map((id) => messageRef(this.db, threadId, id)));
    return new Map(docs.filter((doc) => doc.exists).map((doc) => [doc.id, toMessage(doc.id, doc.data() as MessageDoc)]));
  }

  async lookups(keys: LookupKey[]): Promise<Map<string, LookupEntry>> {
    const docs = await this.readAll(keys.map((key) => messageLookupRef(this.db, key.accountId, key.direction, key.waMessageId)));
    const entries = docs.filter((doc) => doc.exists).map((doc) => doc.data() as MessageLookupDoc);
    return new Map(entries.map(({ accountId, direction, waMessageId, threadId, messageId }) => [lookupId({ accountId, direction, waMessageId }), { accountId, direction, waMessageId, threadId, messageId }]));
  }

  async thread(threadId: string): Promise<ThreadSummary | undefined> {
    const snapshot = await threadRef(this.db, threadId).get();
    if (!snapshot.exists) return undefined;
    const doc = snapshot.data() as ThreadDoc;
    return { ...toThread(threadId, doc), nextSeq: doc.nextSeq ?? 1 };
  }

  /** The thread's own `messages`, by the built-in single-field indexes: no composite index needed. */
  async newestMessage(threadId: string): Promise<MessageRecord | undefined> {
    const messages = threadRef(this.db, threadId).collection(MESSAGES);
    const snapshot = await messages.orderBy('createdAt', 'desc').orderBy(FieldPath.documentId(), 'desc').limit(1).get();
    return snapshot.empty ? undefined : toMessage(snapshot.docs[0].id, snapshot.docs[0].data() as MessageDoc);
  }

  /** Docs without `seq` (inbound) are outside an ordering on it: exactly the ones to skip. */
  async highestSeq(threadId: string): Promise<number> {
    const snapshot = await threadRef(this.db, threadId).collection(MESSAGES).orderBy('seq', 'desc').limit(1).get();
    return snapshot.empty ? 0 : (snapshot.docs[0].get('seq') as number);
  }

  async outboxItems(ids: string[]): Promise<Map<string, OutboxItem>> {
    const docs = await this.readAll(ids.map((id) => outboxCollection(this.db).doc(id)));
    return new Map(docs.filter((doc) => doc.exists).map((doc) => [doc.id, toOutboxItem(doc.id, doc.data() as OutboxDoc)]));
  }

  async account(accountId: string): Promise<AccountRecord | undefined> {
    const snapshot = await accountRef(this.db, accountId).get();
    return snapshot.exists ? toAccount(snapshot.id, snapshot.data() as AccountDoc) : undefined;
  }

  /** Every account doc, two fields each: a few hundred at most, and no index to declare for a one-off check. */
  async liveHolders(now: number): Promise<string[]> {
    const snapshot = await accountsCollection(this.db).select('owner', 'leaseUntil').get();
    const live = snapshot.docs.filter((doc) => doc.get('owner') && ((doc.get('leaseUntil') as Timestamp | null)?.toMillis() ?? 0) > now);
    return [...new Set(live.map((doc) => doc.get('owner') as string))].sort();
  }

  /** One batch: `create` where the doc must not exist yet, so a copy never overwrites anybody's doc. */
  async write(changes: LayoutChange[]): Promise<void> {
    const batch = this.db.batch();
    for (const change of changes) this.add(batch, change);
    await batch.commit();
  }

  settleThreadTurn(threadId: string): Promise<number> {
    return settleTurn(this.db, threadId);
  }

  close(): Promise<void> {
    return this.store.close();
  }

  private add(batch: WriteBatch, change: LayoutChange): void {
    const db = this.db;
    switch (change.kind) {
      case 'copyMessage': {
        const { message } = change;
        batch.create(messageRef(db, message.threadId, message.messageId), toMessageDoc(message));
        const lookup = messageLookupRef(db, message.accountId, message.direction, message.waMessageId);
        if (change.replaceLookup) batch.set(lookup, toLookupDoc(message));
        else batch.create(lookup, toLookupDoc(message));
        return;
      }
      case 'putThread':
        // Merged: `outboxHeadSeq` and anything else the server keeps on the thread doc stay as they are.
        batch.set(threadRef(db, change.thread.threadId), threadFields(change.thread), { merge: true });
        return;
      case 'createOutboxItem':
        // Not its thread's head yet: settleThreadTurn decides, once every item of the round is in.
        batch.create(outboxCollection(db).doc(change.item.id), toOutboxDoc(change.item, false));
        return;
      case 'createAccount':
        batch.create(accountRef(db, change.account.accountId), toAccountDoc(change.account));
        return;
      case 'fillAccount':
        batch.update(accountRef(db, change.accountId), { name: change.name, phone: change.phone, updatedAt: toTimestamp(change.updatedAt) });
        return;
      case 'deleteOldMessage':
        batch.delete(messageRef(db, change.oldThreadId, change.messageId));
        return;
      case 'deleteOldThread':
        batch.delete(threadRef(db, change.oldThreadId));
        return;
      case 'deleteOldOutboxItem':
        batch.delete(db.collection(OUTBOX).doc(change.requestId));
        return;
      case 'deleteLegacyAccount':
        batch.delete(db.collection(WA_ACCOUNTS).doc(change.accountId));
        return;
    }
  }

  private async readAll(refs: DocumentReference[]) {
    const slices = [];
    for (let start = 0; start < refs.length; start += READS_PER_CALL) slices.push(this.db.getAll(...refs.slice(start, start + READS_PER_CALL)));
    return (await Promise.all(slices)).flat();
  }
}

function threadFields(thread: ThreadSummary): Omit<ThreadDoc, 'outboxHeadSeq'> {
  const at = (ms: number): Timestamp => toTimestamp(ms);
  return {
    accountId: thread.accountId,
    clientJid: thread.clientJid,
    lastMessageAt: at(thread.lastMessageAt),
    lastMessageText: thread.lastMessageText,
    lastMessageDirection: thread.lastMessageDirection,
    nextSeq: thread.nextSeq,
    createdAt: at(thread.createdAt),
    updatedAt: at(thread.updatedAt),
  };
}
