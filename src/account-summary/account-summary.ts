import { AccountRecord } from '../accounts/account';
import { WatchedOutboxStatus } from '../outbox/failed-send-retry';
import { LastMessageTimes } from './account-activity';

/** One account at a glance, as the operator's console shows it: its record, its latest traffic, its queue. */
export interface AccountSummary {
  account: AccountRecord;
  lastMessages: LastMessageTimes;
  outbox: Record<WatchedOutboxStatus, number>;
  /** When this instance read it (the answer may be up to SUMMARY_TTL_MS old). */
  readAt: number;
}
