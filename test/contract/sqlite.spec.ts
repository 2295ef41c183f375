import { InstanceRegistry } from '../../src/accounts/instance-registry';
import { SqliteInstanceRegistry } from '../../src/accounts/sqlite/instance-registry.sqlite';
import { instancesContract } from './instances.contract';
import { MediaDownloads } from '../../src/media-downloads/media-downloads.repository';
import { SqliteMediaDownloads } from '../../src/media-downloads/sqlite/media-downloads.repository.sqlite';
import { mediaDownloadsContract } from './media-downloads.contract';
import { AccountKeyRepository } from '../../src/access/account-key.repository';
import { SqliteAccountKeyRepository } from '../../src/access/sqlite/account-key.repository.sqlite';
import { accountKeysContract } from './account-keys.contract';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe } from 'vitest';
import { AccountPurges } from '../../src/accounts/account-purges';
import { SqliteAccountPurges } from '../../src/accounts/sqlite/account-purges.sqlite';
import { AccountRepository } from '../../src/accounts/account.repository';
import { SqliteAccountRepository } from '../../src/accounts/sqlite/account.repository.sqlite';
import { SessionRepository } from '../../src/accounts/session.repository';
import { SqliteSessionRepository } from '../../src/accounts/sqlite/session.repository.sqlite';
import { ContactAliasRepository } from '../../src/messaging/contact-alias.repository';
import { SqliteContactAliasRepository } from '../../src/messaging/sqlite/contact-alias.repository.sqlite';
import { ThreadRepository } from '../../src/messaging/thread.repository';
import { SqliteThreadRepository } from '../../src/messaging/sqlite/thread.repository.sqlite';
import { OutboxRepository } from '../../src/outbox/outbox.repository';
import { SqliteOutboxRepository } from '../../src/outbox/sqlite/outbox.repository.sqlite';
import { MessageStatusRepository } from '../../src/receipts/message-status.repository';
import { SqliteMessageStatusRepository } from '../../src/receipts/sqlite/message-status.repository.sqlite';
import { SQLITE_WORKER_ADAPTERS } from '../../src/sqlite-adapters';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';
import { SqliteStoreWorker } from '../../src/store/sqlite/worker/store-worker-client';
import { accountLeasesContract } from './account-leases.contract';
import { accountLifecycleContract } from './account-lifecycle.contract';
import { accountsContract } from './accounts.contract';
import { contactAliasesContract } from './contact-aliases.contract';
import { messageStatusesContract } from './message-statuses.contract';
import { sessionsContract } from './sessions.contract';
import { outboxAcceptContract } from './outbox-accept.contract';
import { outboxClaimsContract } from './outbox-claims.contract';
import { outboxOperatorContract } from './outbox-operator.contract';
import { scrapeCountsContract } from './scrape-counts.contract';
import { StoreFixture } from './store-fixture';
import { threadsContract } from './threads.contract';
import { eventLogContract } from './event-log.contract';
import { EventLog } from '../../src/events/event-log.repository';
import { SqliteEventLog } from '../../src/events/sqlite/event-log.repository.sqlite';
import { AccountSends } from '../../src/accounts/account-sends';
import { SqliteAccountSends } from '../../src/outbox/sqlite/account-sends.sqlite';
import { WebhookEndpointRepository } from '../../src/webhooks/webhook-endpoint.repository';
import { SqliteWebhookEndpointRepository } from '../../src/webhooks/sqlite/webhook-endpoint.repository.sqlite';
import { webhookEndpointsContract } from './webhook-endpoints.contract';
import { webhookDeliveriesContract } from './webhook-deliveries.contract';
import { WebhookDeliveries } from '../../src/webhooks/webhook-deliveries.repository';
import { SqliteWebhookDeliveries } from '../../src/webhooks/sqlite/webhook-deliveries.repository.sqlite';

const dir = mkdtempSync(join(tmpdir(), 'wa-contract-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fixtureOn(path: string): StoreFixture {
  const store = SqliteStore.open(path);
  const events = new SqliteEventLog(store);
  return {
    accounts: new SqliteAccountRepository(store, new SqliteAccountSends(store)),
    purges: new SqliteAccountPurges(store, new SqliteAccountSends(store)),
    aliases: new SqliteContactAliasRepository(store),
    sessions: new SqliteSessionRepository(store),
    threads: new SqliteThreadRepository(store),
    outbox: new SqliteOutboxRepository(store),
    accountSends: new SqliteAccountSends(store),
    statuses: new SqliteMessageStatusRepository(store),
    events,
    expireEvents: async () => void (await events.purgeBefore(Date.now() + 1, 1_000)),
    webhooks: new SqliteWebhookEndpointRepository(store),
    deliveries: new SqliteWebhookDeliveries(store),
    accessKeys: new SqliteAccountKeyRepository(store),
    instances: new SqliteInstanceRegistry(store),
    mediaDownloads: new SqliteMediaDownloads(store),
    reopen: async () => fixtureOn(path),
    close: async () => store.close(),
  };
}

/** The same adapters as the app runs them: in the store worker, every call crossing the thread boundary. */
async function workerFixtureOn(path: string): Promise<StoreFixture> {
  const worker = await SqliteStoreWorker.start(SQLITE_WORKER_ADAPTERS, path);
  const events = worker.adapter(EventLog, SqliteEventLog);
  return {
    accounts: worker.adapter(AccountRepository, SqliteAccountRepository),
    purges: worker.adapter(AccountPurges, SqliteAccountPurges),
    aliases: worker.adapter(ContactAliasRepository, SqliteContactAliasRepository),
    sessions: worker.adapter(SessionRepository, SqliteSessionRepository),
    threads: worker.adapter(ThreadRepository, SqliteThreadRepository),
    outbox: worker.adapter(OutboxRepository, SqliteOutboxRepository),
    accountSends: worker.adapter(AccountSends, SqliteAccountSends),
    statuses: worker.adapter(MessageStatusRepository, SqliteMessageStatusRepository),
    events,
    expireEvents: async () => void (await events.purgeBefore(Date.now() + 1, 1_000)),
    webhooks: worker.adapter(WebhookEndpointRepository, SqliteWebhookEndpointRepository),
    deliveries: worker.adapter(WebhookDeliveries, SqliteWebhookDeliveries),
    accessKeys: worker.adapter(AccountKeyRepository, SqliteAccountKeyRepository),
    instances: worker.adapter(InstanceRegistry, SqliteInstanceRegistry),
    mediaDownloads: worker.adapter(MediaDownloads, SqliteMediaDownloads),
    reopen: () => workerFixtureOn(path),
    close: () => worker.close(),
  };
}

let n = 0;
const makeSqlite = async () => fixtureOn(join(dir, `store-${++n}.db`));
const makeSqliteWorker = () => workerFixtureOn(join(dir, `store-${++n}.db`));

describe('sqlite adapters', () => {
  accountsContract(makeSqlite);
  accountLeasesContract(makeSqlite);
  accountLifecycleContract(makeSqlite);
  sessionsContract(makeSqlite);
  outboxAcceptContract(makeSqlite);
  outboxClaimsContract(makeSqlite);
  threadsContract(makeSqlite);
  contactAliasesContract(makeSqlite);
  messageStatusesContract(makeSqlite);
  scrapeCountsContract(makeSqlite);
  eventLogContract(makeSqlite);
  webhookEndpointsContract(makeSqlite);
  webhookDeliveriesContract(makeSqlite);
  accountKeysContract(makeSqlite);
  instancesContract(makeSqlite);
  mediaDownloadsContract(makeSqlite);
  outboxOperatorContract(makeSqlite);
});

describe('sqlite adapters in the store worker', () => {
  accountsContract(makeSqliteWorker);
  accountLeasesContract(makeSqliteWorker);
  accountLifecycleContract(makeSqliteWorker);
  sessionsContract(makeSqliteWorker);
  outboxAcceptContract(makeSqliteWorker);
  outboxClaimsContract(makeSqliteWorker);
  threadsContract(makeSqliteWorker);
  contactAliasesContract(makeSqliteWorker);
  messageStatusesContract(makeSqliteWorker);
  scrapeCountsContract(makeSqliteWorker);
  eventLogContract(makeSqliteWorker);
  webhookEndpointsContract(makeSqliteWorker);
  webhookDeliveriesContract(makeSqliteWorker);
  accountKeysContract(makeSqliteWorker);
  instancesContract(makeSqliteWorker);
  mediaDownloadsContract(makeSqliteWorker);
  outboxOperatorContract(makeSqliteWorker);
});
