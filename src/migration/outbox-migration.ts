import { MessageRecord } from '../messaging/message';
import { OutboxItem } from '../outbox/outbox-item';
import { ChangeWriter } from './change-writer';
import { LegacyStore } from './legacy-store';
import { LegacyOutboxItem } from './legacy-records';
import { movedMessageOf, placeOutboxItem } from './outbox-placement';
import { MigrationReport } from './migration-report';
import { Progress } from './progress';
import { differingFields, sameFields } from './same-fields';
import { PlannedCopies, messagePathOf } from './thread-copy';

/** Old items handled per round: one batched read of the new items, one commit, one batched delete. */
const ITEMS_PER_ROUND = 100;

/**
 * What identifies a moved item. A copy made by an earlier run may have moved on since (an instance
 * started in between and sent it); it is still the move of this old item.
 */
const IDENTITY: Array<keyof OutboxItem> = ['id', 'accountId', 'requestId', 'threadId', 'messageId', 'messageRef', 'waMessageId', 'requestHash'];

interface Move {
  old: LegacyOutboxItem;
  item: OutboxItem;
  released: boolean;
}

/**
 * Moves `outbox/{requestId}` items to `outbox/{accountId}__{requestId}`, beside the message copies the
 * thread phase made (so it runs after it). Per round: create the new items, read them back, settle the
 * turn of each thread they joined, and only then delete the old ones.
 */
export class OutboxMigration {
  constructor(
    private readonly store: LegacyStore,
    private readonly writer: ChangeWriter,
    private readonly report: MigrationReport,
    private readonly planned?: PlannedCopies,
  ) {}

  async run(progress: Progress): Promise<void> {
    const oldItems = (await this.store.oldOutboxItems()).sort((a, b) => (a.requestId < b.requestId ? -1 : 1));
    this.report.count('oldOutboxItems', oldItems.length);
    progress.begin('outbox', oldItems.length);
    for (let start = 0; start < oldItems.length; start += ITEMS_PER_ROUND) {
      const round = oldItems.slice(start, start + ITEMS_PER_ROUND);
      await this.moveRound(round);
      progress.advance(round.length);
    }
    progress.end();
  }

  private async moveRound(oldItems: LegacyOutboxItem[]): Promise<void> {
    const moves = (await Promise.all(oldItems.map((old) => this.placed(old)))).filter((move): move is Move => move !== undefined);
    const existing = await this.store.outboxItems(moves.map((m) => m.item.id));
    const settled: Move[] = [];
    const toCreate: Move[] = [];
    for (const move of moves) {
      const item = existing.get(move.item.id);
      if (!item) toCreate.push(move);
      else if (sameFields(pick(item), pick(move.item))) settled.push(move);
      else this.report.leave(`outbox/${move.old.requestId}`, `${move.item.id} already holds another request (differs in ${differingFields(pick(item), pick(move.item)).join(', ')})`);
    }
    await this.writer.write(toCreate.map(({ item }) => ({ kind: 'createOutboxItem', item })));
    await this.verify(toCreate.map((m) => m.item));
    this.report.count('outboxItemsMoved', toCreate.length);
    this.report.count('outboxItemsReleased', toCreate.filter((m) => m.released).length);
    this.report.count('outboxItemsAlreadyMoved', settled.length);
    settled.push(...toCreate);
    // Before the old items go: a re-run finds no old item to lead it back to a thread left unsettled.
    // Only threads that gained an open item: an ended one is created without the turn, which is right.
    // One at a time: each is a transaction querying the outbox, and the emulator's coarse query locks
    // made eight side by side time out ("Transaction lock timeout").
    const gainedOpen = new Set(settled.filter((m) => m.item.status === 'queued' || m.item.status === 'processing').map((m) => m.item.threadId));
    for (const threadId of gainedOpen) await this.writer.settleThreadTurn(threadId);
    await this.writer.write(settled.map(({ old }) => ({ kind: 'deleteOldOutboxItem', requestId: old.requestId })));
    this.report.count('oldOutboxItemsRemoved', settled.length);
  }

  private async placed(old: LegacyOutboxItem): Promise<Move | undefined> {
    const path = `outbox/${old.requestId}`;
    const location = movedMessageOf(old);
    if ('unplaceable' in location) return void this.report.leave(path, location.unplaceable);
    const { threadId, messageId } = location.placed;
    const message: MessageRecord | undefined =
      (await this.store.messages(threadId, [messageId])).get(messageId) ?? this.planned?.get(messagePathOf(threadId, messageId));
    if (!message) return void this.report.leave(path, `its message ${messagePathOf(threadId, messageId)} is not in the new layout (its old message was left in place)`);
    const placement = placeOutboxItem(old, message);
    if ('unplaceable' in placement) return void this.report.leave(path, placement.unplaceable);
    return { old, ...placement.placed };
  }

  private async verify(created: OutboxItem[]): Promise<void> {
    if (this.writer.dryRun || created.length === 0) return;
    const written = await this.store.outboxItems(created.map((item) => item.id));
    for (const item of created) {
      const copy = written.get(item.id);
      if (!copy || !sameFields(copy, item)) {
        throw new Error(`outbox item ${item.id} did not read back as written${copy ? ` (differs in ${differingFields(copy, item).join(', ')})` : ''}`);
      }
    }
  }
}

function pick(item: OutboxItem): Partial<OutboxItem> {
  return Object.fromEntries(IDENTITY.map((field) => [field, item[field]]));
}
