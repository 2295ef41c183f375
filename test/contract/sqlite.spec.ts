import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe } from 'vitest';
import { SqliteAccountRepository } from '../../src/accounts/account.repository.sqlite';
import { SqliteSessionRepository } from '../../src/accounts/session.repository.sqlite';
import { SqliteThreadRepository } from '../../src/messaging/thread.repository.sqlite';
import { SqliteOutboxRepository } from '../../src/outbox/outbox.repository.sqlite';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';
import { accountLeasesContract } from './account-leases.contract';
import { accountsContract } from './accounts.contract';
import { sessionsContract } from './sessions.contract';
import { outboxAcceptContract } from './outbox-accept.contract';
import { outboxClaimsContract } from './outbox-claims.contract';
import { StoreFixture } from './store-fixture';
import { threadsContract } from './threads.contract';

const dir = mkdtempSync(join(tmpdir(), 'wa-contract-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fixtureOn(path: string): StoreFixture {
  const store = SqliteStore.open(path);
  return {
    accounts: new SqliteAccountRepository(store),
    sessions: new SqliteSessionRepository(store),
    threads: new SqliteThreadRepository(store),
    outbox: new SqliteOutboxRepository(store),
    reopen: async () => fixtureOn(path),
    close: async () => store.close(),
  };
}

let n = 0;
const makeSqlite = async () => fixtureOn(join(dir, `store-${++n}.db`));


describe('sqlite adapters', () => {
  accountsContract(makeSqlite);
  accountLeasesContract(makeSqlite);
  sessionsContract(makeSqlite);
  outboxAcceptContract(makeSqlite);
  outboxClaimsContract(makeSqlite);
  threadsContract(makeSqlite);
});
