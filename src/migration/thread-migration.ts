import { normalizeJid } from '../common/jid';
import { MessageRecord } from '../messaging/message';
import { inParallel } from './in-parallel';
import { placeMessage } from './message-placement';
import { Progress } from './progress';
import { CopyContext, copyIntoThread, messagePathOf } from './thread-copy';
import { LayoutChange } from './legacy-store';

/** Old threads migrated side by side. Firestore is latency-bound (each step is a round trip); sqlite does not mind. */
export const THREADS_IN_PARALLEL = 8;

/**
 * Splits each old thread (a bare remote JID, possibly holding several accounts' messages) into one new
 * thread per account. Per old thread: copy, read back and compare, write each new thread's summary,
 * and only then delete the old messages (and the old thread once nothing is left in it). Interrupted
 * anywhere, a re-run finds the old docs still there and the copies made so far, keeps those (compared
 * field by field) and carries on: resumable by construction, no checkpoint doc.
 */
export class ThreadMigration {
  constructor(private readonly ctx: CopyContext) {}

  async run(progress: Progress): Promise<void> {
    const oldThreadIds = (await this.ctx.store.oldThreadIds()).sort();
    this.ctx.report.count('oldThreads', oldThreadIds.length);
    progress.begin('threads', oldThreadIds.length);
    // Old threads naming one client differently (`…@c.us`, `…:12@s.whatsapp.net`) feed the same new
    // threads: they go one after another, so each sees the other's copies, seqs and summary.
    await inParallel([...sameClientGroups(oldThreadIds).values()], THREADS_IN_PARALLEL, async (group) => {
      for (const oldThreadId of group) {
        await this.migrateThread(oldThreadId);
        progress.advance();
      }
    });
    progress.end();
  }

  private async migrateThread(oldThreadId: string): Promise<void> {
    const { store, writer, report } = this.ctx;
    const oldMessages = await store.oldMessages(oldThreadId);
    report.count('oldMessages', oldMessages.length);
    const byTarget = new Map<string, MessageRecord[]>();
    let leftBehind = 0;
    for (const old of oldMessages) {
      const placement = placeMessage(old);
      if ('unplaceable' in placement) {
        report.leave(messagePathOf(oldThreadId, old.messageId), placement.unplaceable);
        leftBehind += 1;
        continue;
      }
      byTarget.set(placement.placed.threadId, [...(byTarget.get(placement.placed.threadId) ?? []), placement.placed]);
    }
    const settled: string[] = [];
    for (const threadId of [...byTarget.keys()].sort()) {
      const outcome = await copyIntoThread(this.ctx, threadId, byTarget.get(threadId)!.sort(byTime), oldThreadId);
      settled.push(...outcome.settled);
      leftBehind += outcome.leftBehind;
    }
    // Last, after every copy and summary of this old thread read back right.
    const deletions: LayoutChange[] = settled.map((messageId) => ({ kind: 'deleteOldMessage', oldThreadId, messageId }));
    if (leftBehind === 0) deletions.push({ kind: 'deleteOldThread', oldThreadId });
    await writer.write(deletions);
    report.count('oldMessagesRemoved', settled.length);
    if (leftBehind === 0) report.count('oldThreadsRemoved');
  }
}

function sameClientGroups(oldThreadIds: string[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const id of oldThreadIds) {
    const client = normalizeJid(id) ?? id;
    groups.set(client, [...(groups.get(client) ?? []), id]);
  }
  return groups;
}

function byTime(a: MessageRecord, b: MessageRecord): number {
  return a.createdAt - b.createdAt || (a.messageId < b.messageId ? -1 : a.messageId > b.messageId ? 1 : 0);
}
