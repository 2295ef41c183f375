import type { PauseReason } from '../whatsapp/whatsapp-provider';

export const ACCOUNT_STATUSES = ['connecting', 'qr', 'connected', 'disconnected', 'logged_out'] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];

/** `accounts/{accountId}`. Times are epoch milliseconds in the domain; adapters convert. */
export interface AccountRecord {
  accountId: string;
  name: string | null;
  status: AccountStatus;
  /**
   * The phone the account is linked to (its session's), set when a socket opens. Kept across a logout
   * (sends accepted while it waits to be linked again are for that phone) and cleared by a reset, after
   * which the account counts as never linked. Each outbox item is bound to it as read at accept.
   */
  phone: string | null;
  /** `{WORKER_ID}/{incarnation}` of the instance holding the socket, or null. */
  owner: string | null;
  /** Fencing token: incremented at every change of owner. */
  ownerEpoch: number;
  leaseUntil: number | null;
  lastDisconnectReason: string | null;
  lastDisconnectAt: number | null;
  connectedAt: number | null;
  /** The pending login QR (any instance can serve it) and when it arrived; null once linked. */
  qr: string | null;
  qrAt: number | null;
  /**
   * Operator requests for the holder, by the time they were asked (set by whichever instance got the
   * HTTP call), and the request each was last performed for: one is pending while the two differ. The
   * holder (now or next) performs a pending one and records it done in a write fenced by its epoch.
   */
  reconnectRequestedAt: number | null;
  resetRequestedAt: number | null;
  reconnectDoneFor: number | null;
  resetDoneFor: number | null;
  /** A pairing code asked on an instance that does not hold the account: for which number, and when. */
  pairingPhone: string | null;
  pairingRequestedAt: number | null;
  /** The holder's answer to the request made at `pairingCodeFor` (the asking instance waits for it). */
  pairingCode: string | null;
  pairingCodeFor: number | null;
  /**
   * WhatsApp limited the account (rate-overlimit, or the reach-out lock): nothing is sent for it until
   * then; the holder clears both when it resumes. The status is unchanged by a pause.
   */
  pausedUntil: number | null;
  pauseReason: PauseReason | null;
  createdAt: number;
  updatedAt: number;
}

export function newAccount(accountId: string, name: string | null, now: number): AccountRecord {
  return {
    accountId,
    name,
    status: 'disconnected',
    phone: null,
    owner: null,
    ownerEpoch: 0,
    leaseUntil: null,
    lastDisconnectReason: null,
    lastDisconnectAt: null,
    connectedAt: null,
    qr: null,
    qrAt: null,
    reconnectRequestedAt: null,
    resetRequestedAt: null,
    reconnectDoneFor: null,
    resetDoneFor: null,
    pairingPhone: null,
    pairingRequestedAt: null,
    pairingCode: null,
    pairingCodeFor: null,
    pausedUntil: null,
    pauseReason: null,
    createdAt: now,
    updatedAt: now,
  };
}

/** What the holder writes about its connection; every field optional, `updatedAt` always. */
export type ConnectionPatch = Partial<
  Pick<
    AccountRecord,
    | 'status'
    | 'phone'
    | 'lastDisconnectReason'
    | 'lastDisconnectAt'
    | 'connectedAt'
    | 'qr'
    | 'qrAt'
    | 'reconnectRequestedAt'
    | 'resetRequestedAt'
    | 'pairingCode'
    | 'pairingCodeFor'
    | 'pausedUntil'
    | 'pauseReason'
  >
> & { updatedAt: number };

/** The operator's reset waiting to be performed, by its time; null when none is. */
export function pendingReset(account: Pick<AccountRecord, 'resetRequestedAt' | 'resetDoneFor'>): number | null {
  return account.resetRequestedAt !== account.resetDoneFor ? account.resetRequestedAt : null;
}

/** The operator's reconnect waiting to be performed, by its time; null when none is. */
export function pendingReconnect(account: Pick<AccountRecord, 'reconnectRequestedAt' | 'reconnectDoneFor'>): number | null {
  return account.reconnectRequestedAt !== account.reconnectDoneFor ? account.reconnectRequestedAt : null;
}
