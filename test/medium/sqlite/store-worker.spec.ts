import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { newAccount } from '../../../src/accounts/account';
import { AccountRepository } from '../../../src/accounts/account.repository';
import { SqliteAccountRepository } from '../../../src/accounts/sqlite/account.repository.sqlite';
import { AccountAlreadyExists, DomainError } from '../../../src/common/errors';
import { ThreadRepository } from '../../../src/messaging/thread.repository';
import { SqliteThreadRepository } from '../../../src/messaging/sqlite/thread.repository.sqlite';
import { SQLITE_WORKER_ADAPTERS } from '../../../src/sqlite-adapters';
import { openSqlite } from '../../../src/store/sqlite/sqlite-database';
import { SqliteStoreWorker } from '../../../src/store/sqlite/worker/store-worker-client';

const dir = mkdtempSync(join(tmpdir(), 'wa-store-worker-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

async function started() {
  const path = join(dir, `worker-${++n}.db`);
  const worker = await SqliteStoreWorker.start(SQLITE_WORKER_ADAPTERS, path);
  return { path, worker, accounts: worker.adapter(AccountRepository, SqliteAccountRepository) };
}

describe('the sqlite store worker', () => {
  it('gives back the adapter’s own error class and fields, so the HTTP mapping still holds', async () => {
    const { worker, accounts } = await started();
    await accounts.create(newAccount('twice', null, 1));
    const error = await accounts.create(newAccount('twice', null, 2)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AccountAlreadyExists);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ httpStatus: 409, accountId: 'twice', message: 'accountId: account "twice" already exists' });
    await worker.close();
  });

  it('keeps SQLite’s error code (SQLITE_BUSY becomes 503 by it), and nothing of the failed write is stored', async () => {
    const { path, worker, accounts } = await started();
    const other = openSqlite(path);
    other.exec(`CREATE TRIGGER refuse BEFORE INSERT ON accounts WHEN NEW.account_id = 'refused' BEGIN SELECT RAISE(ABORT, 'refused by test'); END`);
    const error = await accounts.create(newAccount('refused', null, 1)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ code: 'SQLITE_CONSTRAINT_TRIGGER', message: 'refused by test' });
    expect(other.prepare(`SELECT COUNT(*) AS n FROM accounts`).get()).toEqual({ n: 0 });
    other.close();
    await worker.close();
  });

  it('carries Maps, undefined and pages across unchanged', async () => {
    const { worker, accounts } = await started();
    await accounts.create(newAccount('a1', 'Shop', 5));
    expect(await accounts.get('missing')).toBeUndefined();
    expect(await accounts.get('a1')).toEqual(newAccount('a1', 'Shop', 5));
    const page = await accounts.list({ limit: 10 });
    expect(page.items.map((account) => account.accountId)).toEqual(['a1']);
    await worker.close();
  });

  it('refuses to stand in for an adapter it does not run for that port', async () => {
    const { worker } = await started();
    expect(() => worker.adapter(ThreadRepository, SqliteAccountRepository as never)).toThrow(/serves SqliteThreadRepository for ThreadRepository, not SqliteAccountRepository/);
    expect(worker.adapter(ThreadRepository, SqliteThreadRepository)).toBeInstanceOf(ThreadRepository);
    await worker.close();
  });

  it('finishes the calls already made before it closes, and refuses calls after', async () => {
    const { path, worker, accounts } = await started();
    const made = Array.from({ length: 50 }, (_, i) => accounts.create(newAccount(`c${i}`, null, i)));
    const closing = worker.close();
    await expect(Promise.all(made)).resolves.toHaveLength(50);
    await closing;
    await expect(accounts.get('c1')).rejects.toThrow(/closed/);
    const check = openSqlite(path);
    expect(check.prepare(`SELECT COUNT(*) AS n FROM accounts`).get()).toEqual({ n: 50 });
    check.close();
  });

  it('fails every waiting call, and every later one, when its thread dies, and says so once', async () => {
    const lost: Error[] = [];
    const worker = await SqliteStoreWorker.start(SQLITE_WORKER_ADAPTERS, join(dir, `worker-${++n}.db`), (error) => lost.push(error));
    const accounts = worker.adapter(AccountRepository, SqliteAccountRepository);
    const waiting = accounts.create(newAccount('lost', null, 1));
    await (worker as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
    await expect(waiting).rejects.toThrow(/exited/);
    await expect(worker.ping()).rejects.toThrow(/exited/);
    expect(lost.map((error) => error.message)).toEqual([expect.stringMatching(/the sqlite store worker exited/)]);
  });

  it('does not call a closed worker lost', async () => {
    const lost: Error[] = [];
    const worker = await SqliteStoreWorker.start(SQLITE_WORKER_ADAPTERS, join(dir, `worker-${++n}.db`), (error) => lost.push(error));
    await worker.close();
    expect(lost).toEqual([]);
  });
});
