import { LoggedEvent } from './event';
import { EventFilter } from './event-log.repository';

/**
 * The accounts a reader may see: null for every account (an admin key), else an account key's own. The
 * log's filter names one account at most, so a key of one account reads with it; a key of several reads
 * every account and drops the others' events here, before anything is written (pages may come out short).
 */
export type EventReach = ReadonlySet<string> | null;

export function filterWithin(filter: EventFilter, reach: EventReach): EventFilter {
  if (filter.accountId !== undefined || reach === null || reach.size !== 1) return filter;
  return { ...filter, accountId: [...reach][0] };
}

export function inReach(event: LoggedEvent, reach: EventReach): boolean {
  return reach === null || reach.has(event.accountId);
}
