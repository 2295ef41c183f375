import { EventType, LoggedEvent, loggedEvent } from '../events/event';
import { MessageRecord } from './message';
import { MessageStatus } from './message-status';
import { messageAnswer } from './message-answer';

/** The event each status reports when a message first reaches it (`queued` is the accept's). */
export const STATUS_EVENT: Record<Exclude<MessageStatus, 'queued'>, EventType> = {
  sent: 'message.sent',
  failed: 'message.failed',
  delivered: 'message.delivered',
  read: 'message.read',
  played: 'message.played',
};

/** A message from the socket: a client wrote (received), or the owner typed it on the phone (sent, never accepted here). */
export function providerMessageEvent(message: MessageRecord): EventType {
  return message.direction === 'inbound' ? 'message.received' : 'message.sent';
}

/** A message event, its snapshot the message as it stands after the change (read in the same write). */
export function messageEvent(type: EventType, message: MessageRecord, occurredAt: number): LoggedEvent {
  return loggedEvent(type, message.accountId, occurredAt, { message: messageAnswer(message) });
}
