import { AccountRepository } from '../../src/accounts/account.repository';
import { SessionRepository } from '../../src/accounts/session.repository';
import { ThreadRepository } from '../../src/messaging/thread.repository';
import { OutboxRepository } from '../../src/outbox/outbox.repository';
import { MessageStatusRepository } from '../../src/receipts/message-status.repository';

/** One store, seen through every repository port; `reopen` is a second connection (another process or machine). */
export interface StoreFixture {
  accounts: AccountRepository;
  sessions: SessionRepository;
  threads: ThreadRepository;
  outbox: OutboxRepository;
  statuses: MessageStatusRepository;
  reopen(): Promise<StoreFixture>;
  close(): Promise<void>;
}

export type MakeStoreFixture = () => Promise<StoreFixture>;
