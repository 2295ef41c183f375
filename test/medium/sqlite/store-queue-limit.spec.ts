import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { newAccount } from '../../../src/accounts/account';
import { AccountRepository } from '../../../src/accounts/account.repository';
import { SqliteAccountRepository } from '../../../src/accounts/sqlite/account.repository.sqlite';
import { StoreQueueFull } from '../../../src/common/errors';
import { SQLITE_WORKER_ADAPTERS } from '../../../src/sqlite-adapters';
import { GroupCommit } from '../../../src/store/sqlite/group-commit';
import { openSqlite } from '../../../src/store/sqlite/sqlite-database';
import { SqliteStoreWorker, storeQueueLimits } from '../../../src/store/sqlite/worker/store-worker-client';

const dir = mkdtempSync(join(tmpdir(), 'wa-queue-limit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

describe('bounded store queues', () => {
  it('group commit takes at most its limit of waiting writes; one more is refused unrun, and room returns after the commit', async () => {
    const db = openSqlite(join(dir, `group-${++n}.db`));
    db.exec('CREATE TABLE t (v INTEGER)');
    const writes = new GroupCommit(db, 2);
    const insert = (v: number) => () => db.prepare('INSERT INTO t (v) VALUES (?)').run(v);
    const outcomes = await Promise.allSettled([writes.run(insert(1)), writes.run(insert(2)), writes.run(insert(3))]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    expect((outcomes[2] as PromiseRejectedResult).reason).toBeInstanceOf(StoreQueueFull);
    expect(db.prepare('SELECT v FROM t ORDER BY v').all()).toEqual([{ v: 1 }, { v: 2 }]);
    await writes.run(insert(4));
    expect(db.prepare('SELECT COUNT(*) AS n FROM t').get()).toEqual({ n: 3 });
    db.close();
  });

  it('the worker client stops admitting requests at the limit, refuses any call at 4x, and admits again once the store answers', async () => {
    const path = join(dir, `worker-${++n}.db`);
    const worker = await SqliteStoreWorker.start(SQLITE_WORKER_ADAPTERS, path, undefined, storeQueueLimits(2));
    const accounts = worker.adapter(AccountRepository, SqliteAccountRepository);
    const other = openSqlite(path);
    other.exec('BEGIN IMMEDIATE'); // the worker's next write waits for this lock: its calls stay waiting
    const waiting = [1, 2, 3, 4, 5, 6, 7, 8].map((i) => accounts.create(newAccount(`q${i}`, null, i)));
    expect(worker.admitsRequest()).toBe(false);
    const refused = await accounts.create(newAccount('q9', null, 9)).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(StoreQueueFull);
    expect(refused).toMatchObject({ httpStatus: 503, retryAfterSeconds: 1, limit: 8 });
    other.exec('COMMIT');
    await Promise.all(waiting);
    expect(worker.admitsRequest()).toBe(true);
    expect(other.prepare('SELECT account_id FROM accounts ORDER BY account_id').all().map((row: any) => row.account_id)).toEqual(['q1', 'q2', 'q3', 'q4', 'q5', 'q6', 'q7', 'q8']);
    other.close();
    await worker.close();
  });
});
