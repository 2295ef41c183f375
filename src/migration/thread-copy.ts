import { MessageRecord } from '../messaging/message';
import { ChangeWriter } from './change-writer';
import { LegacyStore } from './legacy-store';
import { LookupEntry, isOldLayoutId, lookupId } from './legacy-records';
import { MigrationReport } from './migration-report';
import { differingFields, sameFields } from './same-fields';
import { newestOf, summaryOf } from './thread-summary';

/** Copies made in a dry run exist only here; the outbox phase of the same dry run reads them. */
export type PlannedCopies = Map<string, MessageRecord>;

export const messagePathOf = (threadId: string, messageId: string) => `threads/${threadId}/messages/${messageId}`;

export interface CopyContext {
  store: LegacyStore;
  writer: ChangeWriter;
  report: MigrationReport;
  planned?: PlannedCopies;
}

/** What became of the old messages bound for one new thread. */
export interface CopyOutcome {
  /** Old message ids whose copy (or the stored message they repeat) read back right: safe to delete. */
  settled: string[];
  leftBehind: number;
}

/**
 * Copies one old thread's messages of one account into their new thread: read what is there (one round
 * trip), copy what is missing, read the copies back and compare, then write the thread's summary. The
 * caller runs one old thread per new thread at a time, so what was read before the copies plus the
 * copies is what is stored after them.
 */
export async function copyIntoThread(ctx: CopyContext, threadId: string, messages: MessageRecord[], oldThreadId: string): Promise<CopyOutcome> {
  const { store, writer, report } = ctx;
  const outcome: CopyOutcome = { settled: [], leftBehind: 0 };
  const leave = (message: MessageRecord, reason: string) => {
    report.leave(messagePathOf(oldThreadId, message.messageId), reason);
    outcome.leftBehind += 1;
  };
  const [existing, lookups, current, highestSeq, newestStored] = await Promise.all([
    store.messages(threadId, messages.map((m) => m.messageId)),
    store.lookups(messages),
    store.thread(threadId),
    store.highestSeq(threadId),
    store.newestMessage(threadId),
  ]);
  const alreadyCopied: MessageRecord[] = [];
  const copies: Array<{ message: MessageRecord; replaceLookup: boolean }> = [];
  const repeats: Array<{ message: MessageRecord; original: LookupEntry }> = [];
  for (const message of messages) {
    const copy = existing.get(message.messageId);
    if (copy) {
      // Copied by an earlier run. Its seq was handed out then; everything else must match.
      if (sameFields(copy, message, ['seq'])) alreadyCopied.push(copy);
      else leave(message, `${threadId} holds another message with its id (differs in ${differingFields(copy, message).join(', ')})`);
      continue;
    }
    const entry = lookups.get(lookupId(message));
    if (entry && !isOldLayoutId(entry.threadId)) {
      repeats.push({ message, original: entry });
      continue;
    }
    // The old code could store one WhatsApp message twice: the oldest is copied, later ones are repeats.
    lookups.set(lookupId(message), { ...keyOf(message), threadId, messageId: message.messageId });
    copies.push({ message, replaceLookup: entry !== undefined });
  }
  const copied = copies.map((c) => c.message);
  assignSeqs(copied, Math.max(current?.nextSeq ?? 1, highestSeq + 1), (m) => ctx.planned?.set(messagePathOf(threadId, m.messageId), m));
  await writer.write(copies.map(({ message, replaceLookup }) => ({ kind: 'copyMessage', message, replaceLookup })));
  await verifyCopies(ctx, threadId, copied);
  report.count('messagesCopied', copied.length);
  report.count('messagesAlreadyCopied', alreadyCopied.length);
  report.count('statusesMarkedUncertain', copied.filter((m) => m.statusUncertain).length);
  outcome.settled.push(...alreadyCopied.map((m) => m.messageId), ...copied.map((m) => m.messageId));

  const copiedHere = new Map(copied.map((m) => [messagePathOf(threadId, m.messageId), m]));
  for (const { message, original } of repeats) {
    const stored = copiedHere.get(messagePathOf(original.threadId, original.messageId)) ?? (await store.messages(original.threadId, [original.messageId])).get(original.messageId);
    if (stored && isRepeatOf(stored, message)) {
      outcome.settled.push(message.messageId);
      report.count('duplicatesDropped');
    } else {
      leave(message, `its WhatsApp id is taken by a different message (${messagePathOf(original.threadId, original.messageId)})`);
    }
  }

  const migrated = [...copied, ...alreadyCopied];
  if (migrated.length === 0) return outcome;
  const newest = newestOf(newestStored ? [newestStored, ...migrated] : migrated);
  const highest = copied.reduce((seq, m) => Math.max(seq, m.seq ?? 0), highestSeq);
  const summary = summaryOf(threadId, current, newest, migrated, highest);
  if (current && sameFields(current, summary)) return outcome;
  await writer.write([{ kind: 'putThread', thread: summary }]);
  report.count('threadsWritten');
  const written = writer.dryRun ? summary : await store.thread(threadId);
  if (!written || !sameFields(written, summary)) throw new Error(`thread ${threadId} did not read back as written`);
  return outcome;
}

/**
 * Outbound copies get the thread's next sequence numbers, oldest first. Numbers already given (by the
 * live send path, or to copies an interrupted run made) are never reused: `next` is above both.
 */
function assignSeqs(copies: MessageRecord[], next: number, onAssigned: (message: MessageRecord) => void): void {
  for (const message of copies) {
    if (message.direction !== 'outbound') continue;
    message.seq = next++;
    onAssigned(message);
  }
}

/** Read back and compared before any old doc goes; a mismatch stops the run, deleting nothing. */
async function verifyCopies({ store, writer }: CopyContext, threadId: string, copies: MessageRecord[]): Promise<void> {
  if (writer.dryRun || copies.length === 0) return;
  const [written, lookups] = await Promise.all([store.messages(threadId, copies.map((m) => m.messageId)), store.lookups(copies)]);
  for (const message of copies) {
    const copy = written.get(message.messageId);
    if (!copy || !sameFields(copy, message)) {
      throw new Error(`copy ${messagePathOf(threadId, message.messageId)} did not read back as written${copy ? ` (differs in ${differingFields(copy, message).join(', ')})` : ''}`);
    }
    const entry = lookups.get(lookupId(message));
    if (entry?.threadId !== threadId || entry.messageId !== message.messageId) throw new Error(`lookup ${lookupId(message)} does not name ${messagePathOf(threadId, message.messageId)}`);
  }
}

/** The same WhatsApp message stored twice: same account, direction, WhatsApp id and text. */
function isRepeatOf(stored: MessageRecord, message: MessageRecord): boolean {
  return stored.accountId === message.accountId && stored.direction === message.direction && stored.waMessageId === message.waMessageId && stored.text === message.text;
}

function keyOf(message: MessageRecord) {
  return { accountId: message.accountId, direction: message.direction, waMessageId: message.waMessageId };
}
