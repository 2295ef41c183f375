import { SqliteAccountKeyRepository } from './access/sqlite/account-key.repository.sqlite';
import { SqliteAccountPurges } from './accounts/sqlite/account-purges.sqlite';
import { SqliteAccountRepository } from './accounts/sqlite/account.repository.sqlite';
import { SqliteInstanceRegistry } from './accounts/sqlite/instance-registry.sqlite';
import { SessionFenced } from './accounts/session.repository';
import { SqliteSessionRepository } from './accounts/sqlite/session.repository.sqlite';
import * as domainErrors from './common/errors';
import { SqliteContactAliasRepository } from './messaging/sqlite/contact-alias.repository.sqlite';
import { SqliteThreadRepository } from './messaging/sqlite/thread.repository.sqlite';
import { SqliteAccountSends } from './outbox/sqlite/account-sends.sqlite';
import { SqliteEndedOutboxItems } from './outbox/sqlite/ended-items.repository.sqlite';
import { SqliteOutboxRepository } from './outbox/sqlite/outbox.repository.sqlite';
import { CursorExpired, CursorInvalid } from './events/event-log.repository';
import { SqliteEventLog } from './events/sqlite/event-log.repository.sqlite';
import { SqliteMessageStatusRepository } from './receipts/sqlite/message-status.repository.sqlite';
import { SqliteWebhookEndpointRepository } from './webhooks/sqlite/webhook-endpoint.repository.sqlite';
import { SqliteWebhookDeliveries } from './webhooks/sqlite/webhook-deliveries.repository.sqlite';
import { SqliteAccountActivity } from './account-summary/sqlite/account-activity.sqlite';
import { SqliteMediaDownloads } from './media-downloads/sqlite/media-downloads.repository.sqlite';
import type { ServedAdapterFactories, ServedErrorClasses, StoreWorkerAdapters } from './store/sqlite/worker/protocol';

/**
 * The sqlite adapters the store worker runs, by the name of the port each implements, each made on the
 * worker's store: the one place that lists them, since the worker cannot take classes from Nest's
 * container. A module's `repositoryFor(Port, 'sqlite', …)` must name the same adapter (checked at start).
 * An account's ending and purge reach its outbox items inside their own write (AccountSendsInWrite).
 */
export const SERVED_ADAPTERS: ServedAdapterFactories = {
  AccountRepository: (store) => new SqliteAccountRepository(store, new SqliteAccountSends(store)),
  AccountPurges: (store) => new SqliteAccountPurges(store, new SqliteAccountSends(store)),
  AccountSends: (store) => new SqliteAccountSends(store),
  SessionRepository: (store) => new SqliteSessionRepository(store),
  ThreadRepository: (store) => new SqliteThreadRepository(store),
  ContactAliasRepository: (store) => new SqliteContactAliasRepository(store),
  OutboxRepository: (store) => new SqliteOutboxRepository(store),
  EndedOutboxItems: (store) => new SqliteEndedOutboxItems(store),
  MessageStatusRepository: (store) => new SqliteMessageStatusRepository(store),
  EventLog: (store) => new SqliteEventLog(store),
  WebhookEndpointRepository: (store) => new SqliteWebhookEndpointRepository(store),
  WebhookDeliveries: (store) => new SqliteWebhookDeliveries(store),
  AccountKeyRepository: (store) => new SqliteAccountKeyRepository(store),
  InstanceRegistry: (store) => new SqliteInstanceRegistry(store),
  AccountActivity: (store) => new SqliteAccountActivity(store),
  MediaDownloads: (store) => new SqliteMediaDownloads(store),
};

/** Errors the adapters throw that callers tell apart by class; any other arrives as an Error with its `code`. */
export const SERVED_ERRORS: ServedErrorClasses = {
  ...Object.fromEntries(Object.entries(domainErrors).filter(([, value]) => typeof value === 'function')),
  SessionFenced,
  CursorExpired,
  CursorInvalid,
};

/** The store worker loads this file for SERVED_ADAPTERS; the main thread keeps SERVED_ERRORS. */
export const SQLITE_WORKER_ADAPTERS: StoreWorkerAdapters = { module: __filename, errors: SERVED_ERRORS };
