import { MessageRecord } from '../messaging/message';
import { ThreadSummary } from './legacy-records';

/** The newest message as the thread list orders them: `createdAt`, then message id, both descending. */
export function newestOf(messages: MessageRecord[]): MessageRecord {
  return messages.reduce((newest, m) => (m.createdAt > newest.createdAt || (m.createdAt === newest.createdAt && m.messageId > newest.messageId) ? m : newest));
}

/**
 * A new thread's doc after migrated messages joined it: the summary is its newest message's; the counter
 * sits above every seq handed out; `createdAt` and `updatedAt` widen to cover the migrated messages.
 * Computed only from what is stored and what was migrated, so a re-run computes the same doc.
 */
export function summaryOf(threadId: string, current: ThreadSummary | undefined, newest: MessageRecord, migrated: MessageRecord[], highestSeq: number): ThreadSummary {
  return {
    threadId,
    accountId: current?.accountId ?? newest.accountId,
    clientJid: current?.clientJid ?? newest.clientJid,
    lastMessageAt: newest.createdAt,
    lastMessageText: newest.text,
    lastMessageDirection: newest.direction,
    nextSeq: Math.max(current?.nextSeq ?? 1, highestSeq + 1),
    createdAt: migrated.reduce((earliest, m) => Math.min(earliest, m.createdAt), current?.createdAt ?? Number.MAX_SAFE_INTEGER),
    updatedAt: migrated.reduce((latest, m) => Math.max(latest, m.updatedAt), current?.updatedAt ?? 0),
  };
}
