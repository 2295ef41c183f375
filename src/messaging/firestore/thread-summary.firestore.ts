import { DocumentSnapshot } from 'firebase-admin/firestore';
import { toMillis, toTimestamp } from '../../store/firestore/firestore-time';
import { MessageRecord } from '../message';
import { movesThreadSummary } from '../thread-summary';
import { ThreadDoc } from './message-docs.firestore';

/** What a message's write does to its thread doc: the doc to create, or the fields to update. */
export type SummaryWrite = { create: ThreadDoc } | { update: Partial<ThreadDoc> };

/**
 * The thread summary's part of a message's write, for the inbound and accept writes alike: a new
 * thread starts at this message; an existing one moves to it as `movesThreadSummary` says (a replayed
 * older message keeps its place). The caller adds its own fields (the accept its sequence numbers) and
 * writes it in its own transaction or batch.
 */
export function summaryWrite(summary: DocumentSnapshot, message: Pick<MessageRecord, 'accountId' | 'clientJid' | 'text' | 'direction' | 'createdAt' | 'updatedAt' | 'type'>): SummaryWrite {
  const last = { lastMessageAt: toTimestamp(message.createdAt), lastMessageText: message.text, lastMessageDirection: message.direction };
  const updatedAt = toTimestamp(message.updatedAt);
  if (!summary.exists) return { create: { accountId: message.accountId, clientJid: message.clientJid, ...last, createdAt: updatedAt, updatedAt } };
  const current = summary.data() as Partial<ThreadDoc>;
  const moves = movesThreadSummary(current.lastMessageAt && toMillis(current.lastMessageAt), message.createdAt, message.type);
  return { update: { ...(moves ? last : {}), updatedAt } };
}
