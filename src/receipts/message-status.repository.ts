import { Failure } from '../messaging/failure-reason';
import { Direction } from '../messaging/message';
import { MessageStatus, StatusOutcome } from '../messaging/message-status';

export interface StatusReport {
  accountId: string;
  direction: Direction;
  waMessageId: string;
  status: Exclude<MessageStatus, 'queued'>;
  /** When it happened (the receipt's time if known). */
  at: number;
  /** For `failed`: why, and the server's words. */
  failure?: Failure;
}

/**
 * Applies provider receipts to messages: found by a direct lookup on (account, direction, WhatsApp id),
 * never a scan; moved forward only (`movesForward`); the time of each status reached is kept.
 */
export abstract class MessageStatusRepository {
  abstract advance(report: StatusReport): Promise<StatusOutcome>;
}
