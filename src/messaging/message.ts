import { MessageContent, MessageMedia, MessageType } from '../media/media';
import { FailureReason } from './failure-reason';
import { MessageStatus, StatusTimes } from './message-status';

export type Direction = 'inbound' | 'outbound';

/** `threads/{threadId}/messages/{messageId}`. Times are epoch milliseconds. */
export interface MessageRecord extends StatusTimes {
  threadId: string;
  messageId: string;
  accountId: string;
  clientJid: string;
  direction: Direction;
  text: string | null;
  status: MessageStatus;
  waMessageId: string;
  /** For inbound, the provider's timestamp, so a replayed message keeps its place. */
  createdAt: number;
  updatedAt: number;
  /** Outbound only: the request that created it, and its place in the thread's send order. */
  requestId?: string;
  seq?: number;
  /** The last failure reported for it (server code, or the outbox's last error). */
  error?: string;
  /** Set when it ended `failed`: why, in the contract's vocabulary. */
  failureReason?: FailureReason;
  /** Groups: who wrote it. */
  participant?: string;
  /** Written before media messages existed; read as `type` when `type` is absent. */
  mediaType?: string;
  type?: MessageType;
  /** Media messages: the file, and whether its bytes are stored yet. */
  media?: MessageMedia;
  /** Location, contact and reaction messages: what they carry. */
  content?: MessageContent;
  /** Set by the thread-id migration on statuses written by code that read Baileys' codes one too low. */
  statusUncertain?: boolean;
}

/** `threads/{accountId}__{clientJid}`. */
export interface ThreadRecord {
  threadId: string;
  accountId: string;
  clientJid: string;
  lastMessageAt: number;
  lastMessageText: string | null;
  lastMessageDirection: Direction;
  createdAt: number;
  updatedAt: number;
}
