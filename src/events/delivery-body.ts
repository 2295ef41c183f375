import { LoggedEvent } from './event';

/** What a webhook receives and a stream's `data:` line holds, literally as the contract pins it. */
export interface DeliveryBody {
  type: string;
  timestamp: string;
  data: { id: string; accountId: string; occurredAt: string } & Record<string, unknown>;
}

export function deliveryBodyOf(event: LoggedEvent): DeliveryBody {
  const occurredAt = new Date(event.occurredAt).toISOString();
  return { type: event.type, timestamp: occurredAt, data: { id: event.eventId, accountId: event.accountId, occurredAt, ...event.subject } };
}
