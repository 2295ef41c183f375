import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AccountRepository } from '../../../src/accounts/account.repository';
import { SqliteAccountRepository } from '../../../src/accounts/sqlite/account.repository.sqlite';
import { claimOf } from '../../../src/outbox/claim-rule';
import { EndedOutboxItems } from '../../../src/outbox/ended-items.repository';
import { PURGE_ENDED_SQL, SqliteEndedOutboxItems } from '../../../src/outbox/sqlite/ended-items.repository.sqlite';
import { OUTBOX_RETENTION_MS } from '../../../src/outbox/outbox-item';
import { OutboxRetention, PURGE_BATCH } from '../../../src/outbox/outbox-retention.service';
import { OutboxRepository } from '../../../src/outbox/outbox.repository';
import { SqliteOutboxRepository } from '../../../src/outbox/sqlite/outbox.repository.sqlite';
import { MetricsRecorder } from '../../../src/metrics/metrics-recorder';
import { SQLITE_WORKER_ADAPTERS } from '../../../src/sqlite-adapters';
import { openSqlite } from '../../../src/store/sqlite/sqlite-database';
import { SqliteStoreWorker } from '../../../src/store/sqlite/worker/store-worker-client';
import { FakeClock } from '../../support/fake-clock';
import { failureOf } from '../../../src/messaging/failure-reason';
import { acceptedSend, account } from '../../support/sends';

const DAY = 24 * 60 * 60 * 1000;
const dir = mkdtempSync(join(tmpdir(), 'wa-retention-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

/** A store file with two held accounts, reached as the app reaches it: through a store worker. */
async function storeWithAccounts(now: number) {
  const path = join(dir, `retention-${++n}.db`);
  const worker = await SqliteStoreWorker.start(SQLITE_WORKER_ADAPTERS, path);
  const accounts = worker.adapter(AccountRepository, SqliteAccountRepository);
  for (const id of ['acc1', 'acc2']) await accounts.create(account(id));
  const held = (await accounts.claimUnowned('w1/a', now, 365 * DAY, 10)).map((a) => ({ accountId: a.accountId, ownerEpoch: a.ownerEpoch }));
  const outbox = worker.adapter(OutboxRepository, SqliteOutboxRepository);
  const claimAll = (at: number) => outbox.claim({ owner: 'w1/a', accounts: held, now: at, leaseMs: 60_000, perAccount: 2000 });
  const file = openSqlite(path);
  const close = async () => {
    file.close();
    await worker.close();
  };
  return { path, worker, outbox, claimAll, file, close };
}

describe('retention of ended outbox items on sqlite', () => {
  it(`deletes items ended over ${OUTBOX_RETENTION_MS / DAY} days ago and nothing else: not younger ones, not open ones however old, not their messages`, async () => {
    const clock = new FakeClock();
    const longAgo = clock.now() - 9 * DAY;
    const store = await storeWithAccounts(longAgo);
    // Each in its own thread, so one claim round takes them all (a thread sends one item at a time).
    const accept = async (accountId: string, to: string) =>
      (await store.outbox.accept(acceptedSend({ accountId, clientJid: `${to}@s.whatsapp.net`, now: longAgo }))).item;
    const sentLongAgo = await accept('acc1', '40700000001');
    const failedRecently = await accept('acc1', '40700000002');
    const stillOpen = await accept('acc1', '40700000003');
    const otherAccount = await accept('acc2', '40700000001');
    const claims = new Map((await store.claimAll(longAgo)).map((item) => [item.id, claimOf(item)]));
    await store.outbox.markSent(claims.get(sentLongAgo.id)!, clock.now() - 8 * DAY);
    await store.outbox.markSent(claims.get(otherAccount.id)!, clock.now() - 7 * DAY - 1);
    await store.outbox.markFailed(claims.get(failedRecently.id)!, failureOf('rejected'), clock.now() - 6 * DAY);

    const metrics = new MetricsRecorder();
    const retention = new OutboxRetention(store.worker.adapter(EndedOutboxItems, SqliteEndedOutboxItems), clock, metrics);
    expect(await retention.purgeExpired()).toBe(2);
    expect(await metrics.registry.getSingleMetricAsString('whatsapp_outbox_items_purged_total')).toMatch(/^whatsapp_outbox_items_purged_total 2$/m);
    const left = store.file.prepare('SELECT id, status FROM outbox ORDER BY id').all();
    expect(left).toEqual(
      [
        { id: failedRecently.id, status: 'failed' },
        { id: stillOpen.id, status: 'processing' },
      ].sort((a, b) => a.id.localeCompare(b.id)),
    );
    // The conversation stays: only the idempotency record goes, so the key is free again.
    const messages = store.file.prepare('SELECT message_id, status FROM messages ORDER BY message_id').all();
    expect(messages).toHaveLength(4);
    expect(messages).toContainEqual({ message_id: sentLongAgo.messageId, status: 'sent' });
    expect(await store.outbox.get('acc1', sentLongAgo.requestId)).toBeUndefined();
    expect(await retention.purgeExpired()).toBe(0);
    await store.close();
  });

  it(`deletes a backlog in transactions of ${PURGE_BATCH}, through the partial index of ended items`, async () => {
    const clock = new FakeClock();
    const longAgo = clock.now() - 30 * DAY;
    const store = await storeWithAccounts(longAgo);
    const backlog = 2 * PURGE_BATCH + 201;
    await Promise.all(Array.from({ length: backlog }, (_, i) => store.outbox.accept(acceptedSend({ accountId: i % 2 ? 'acc1' : 'acc2', now: longAgo }))));
    // Ended a month ago, as if the process had never purged (an upgrade from a version without retention).
    store.file.prepare("UPDATE outbox SET status = 'sent', ended_at = ?").run(longAgo);
    const ended = store.worker.adapter(EndedOutboxItems, SqliteEndedOutboxItems);
    const batches: number[] = [];
    const counting: EndedOutboxItems = { purge: async (before, limit) => batches[batches.push(await ended.purge(before, limit)) - 1] };

    expect(await new OutboxRetention(counting, clock, new MetricsRecorder()).purgeExpired()).toBe(backlog);
    expect(batches).toEqual([PURGE_BATCH, PURGE_BATCH, 201]);
    expect(store.file.prepare('SELECT COUNT(*) AS n FROM outbox').get()).toEqual({ n: 0 });
    const plan = (store.file.prepare(`EXPLAIN QUERY PLAN ${PURGE_ENDED_SQL}`).all(0, 1) as Array<{ detail: string }>).map((row) => row.detail);
    expect(plan.join('\n')).toMatch(/USING (COVERING )?INDEX outbox_ended/);
    expect(plan.join('\n')).not.toMatch(/SCAN outbox(?! USING)/);
    await store.close();
  });

  it('lets several instances purge the same file at once: every expired item deleted once, no error', async () => {
    const clock = new FakeClock();
    const longAgo = clock.now() - 10 * DAY;
    const store = await storeWithAccounts(longAgo);
    const expired = 3 * PURGE_BATCH;
    await Promise.all(Array.from({ length: expired }, () => store.outbox.accept(acceptedSend({ accountId: 'acc1', now: longAgo }))));
    store.file.prepare("UPDATE outbox SET status = 'sent', ended_at = ?").run(longAgo);
    const kept = (await store.outbox.accept(acceptedSend({ accountId: 'acc2', now: clock.now() }))).item;
    const others = await Promise.all([1, 2].map(() => SqliteStoreWorker.start(SQLITE_WORKER_ADAPTERS, store.path)));
    const instances = [store.worker, ...others].map(
      (worker) => new OutboxRetention(worker.adapter(EndedOutboxItems, SqliteEndedOutboxItems), clock, new MetricsRecorder()),
    );

    const deleted = await Promise.all(instances.map((retention) => retention.purgeExpired()));
    expect(deleted.reduce((sum, count) => sum + count, 0)).toBe(expired);
    expect(store.file.prepare('SELECT id FROM outbox').all()).toEqual([{ id: kept.id }]);
    await Promise.all(others.map((worker) => worker.close()));
    await store.close();
  });
});
