import { StreamEvent } from './event-stream';

/** An account as the console shows it: its summary, kept current from the event stream. */
export interface AccountView {
  accountId: string;
  name: string | null;
  status: string;
  phone: string | null;
  ownerWorkerId: string | null;
  lastDisconnectReason: string | null;
  lastDisconnectAt: string | null;
  /** Shown when the server has them (an account paused by WhatsApp's limits). */
  pausedUntil?: string | null;
  pauseReason?: string | null;
  lastInboundAt: string | null;
  lastOutboundAt: string | null;
  outbox: { queued: number; processing: number; failed: number } | null;
  /** When the server read the summary (it keeps one 10 s). */
  readAt: string | null;
  /** Raised by each `account.qr` event: the QR shown is fetched again. */
  qrVersion: number;
}

export type Fleet = ReadonlyMap<string, AccountView>;

const UNKNOWN: Omit<AccountView, 'accountId'> = {
  name: null,
  status: 'disconnected',
  phone: null,
  ownerWorkerId: null,
  lastDisconnectReason: null,
  lastDisconnectAt: null,
  lastInboundAt: null,
  lastOutboundAt: null,
  outbox: null,
  readAt: null,
  qrVersion: 0,
};

/** An account record (from the list or an event's snapshot) over what the console knew of it. */
export function viewOf(answer: Partial<AccountView> & { accountId: string }, known?: AccountView): AccountView {
  const base: AccountView = known ?? { accountId: answer.accountId, ...UNKNOWN };
  const defined = Object.fromEntries(Object.entries(answer).filter(([, value]) => value !== undefined));
  return { ...base, ...defined, outbox: base.outbox, readAt: base.readAt, qrVersion: base.qrVersion };
}

export interface SummaryAnswer {
  accountId: string;
  lastInboundAt: string | null;
  lastOutboundAt: string | null;
  outbox: { queued: number; processing: number; failed: number };
  readAt: string;
}

/**
 * A summary's traffic and queue over the account. Its status is not taken: a summary may be 10 s old
 * (the server keeps one that long), and the stream has already told us any later status.
 */
export function withSummary(fleet: Fleet, summary: SummaryAnswer): Fleet {
  const known = fleet.get(summary.accountId);
  if (!known) return fleet;
  const next = new Map(fleet);
  const latest = (a: string | null, b: string | null) => (a && b ? (a > b ? a : b) : (a ?? b));
  next.set(summary.accountId, {
    ...known,
    lastInboundAt: latest(known.lastInboundAt, summary.lastInboundAt),
    lastOutboundAt: latest(known.lastOutboundAt, summary.lastOutboundAt),
    outbox: summary.outbox,
    readAt: summary.readAt,
  });
  return next;
}

/** The fleet after one event: the account's snapshot for account events, the last message times for message events. */
export function applyEvent(fleet: Fleet, event: StreamEvent): Fleet {
  const data = event.body?.data;
  if (!data) return fleet;
  const next = new Map(fleet);
  const known = fleet.get(data.accountId);
  switch (event.type) {
    case 'account.created':
    case 'account.status':
      if (data.account) next.set(data.accountId, viewOf(data.account, known));
      return next;
    case 'account.qr':
      next.set(data.accountId, { ...viewOf(data.account ?? { accountId: data.accountId }, known), qrVersion: (known?.qrVersion ?? 0) + 1 });
      return next;
    case 'account.deleted':
      next.delete(data.accountId);
      return next;
    case 'message.received':
      if (known) next.set(data.accountId, { ...known, lastInboundAt: data.occurredAt });
      return next;
    case 'message.sent':
      if (known && data.message?.direction === 'outbound') next.set(data.accountId, { ...known, lastOutboundAt: data.occurredAt });
      return next;
    default:
      return fleet;
  }
}

/** Which accounts to show: a status filter (or all) and a search over id, name and phone. */
export function visibleAccounts(fleet: Fleet, status: string, search: string): AccountView[] {
  const words = search.trim().toLowerCase();
  return [...fleet.values()]
    .filter((account) => status === 'all' || (status === 'failing' ? (account.outbox?.failed ?? 0) > 0 : account.status === status))
    .filter((account) => !words || [account.accountId, account.name ?? '', account.phone ?? ''].some((field) => field.toLowerCase().includes(words)))
    .sort((a, b) => a.accountId.localeCompare(b.accountId));
}
