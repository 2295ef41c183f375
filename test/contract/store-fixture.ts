import { InstanceRegistry } from '../../src/accounts/instance-registry';
import { MediaDownloads } from '../../src/media-downloads/media-downloads.repository';
import { AccountKeyRepository } from '../../src/access/account-key.repository';
import { AccountPurges } from '../../src/accounts/account-purges';
import { AccountRepository } from '../../src/accounts/account.repository';
import { AccountSends } from '../../src/accounts/account-sends';
import { ContactAliasRepository } from '../../src/messaging/contact-alias.repository';
import { SessionRepository } from '../../src/accounts/session.repository';
import { ThreadRepository } from '../../src/messaging/thread.repository';
import { OutboxRepository } from '../../src/outbox/outbox.repository';
import { MessageStatusRepository } from '../../src/receipts/message-status.repository';
import { EventLog } from '../../src/events/event-log.repository';
import { WebhookEndpointRepository } from '../../src/webhooks/webhook-endpoint.repository';
import { WebhookDeliveries } from '../../src/webhooks/webhook-deliveries.repository';

/** One store, seen through every repository port; `reopen` is a second connection (another process or machine). */
export interface StoreFixture {
  accounts: AccountRepository;
  purges: AccountPurges;
  aliases: ContactAliasRepository;
  sessions: SessionRepository;
  threads: ThreadRepository;
  outbox: OutboxRepository;
  /** The outbox's items of an account, as its ending and purge reach them. */
  accountSends: AccountSends;
  statuses: MessageStatusRepository;
  webhooks: WebhookEndpointRepository;
  /** The account keys (access/). */
  accessKeys: AccountKeyRepository;
  /** The instances announcing themselves (accounts/instance-registry.ts). */
  instances: InstanceRegistry;
  /** The inbound files' download items (media-downloads/), made by `threads.storeProviderMessage`. */
  mediaDownloads: MediaDownloads;
  events: EventLog;
  deliveries: WebhookDeliveries;
  /** Lets retention take every event logged so far (sqlite purges; Firestore's clock passes it and TTL is done by hand). */
  expireEvents(): Promise<void>;
  reopen(): Promise<StoreFixture>;
  close(): Promise<void>;
}

export type MakeStoreFixture = () => Promise<StoreFixture>;
