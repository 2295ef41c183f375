export const ACCOUNT_STATUSES = ['connecting', 'qr', 'connected', 'disconnected', 'logged_out'] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];

/** `accounts/{accountId}`. Times are epoch milliseconds in the domain; adapters convert. */
export interface AccountRecord {
  accountId: string;
  name: string | null;
  status: AccountStatus;
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
  /** Operator requests for the holder (set by whichever instance got the HTTP call). */
  reconnectRequestedAt: number | null;
  resetRequestedAt: number | null;
  /** A pairing code asked on an instance that does not hold the account: for which number, and when. */
  pairingPhone: string | null;
  pairingRequestedAt: number | null;
  /** The holder's answer to the request made at `pairingCodeFor` (the asking instance waits for it). */
  pairingCode: string | null;
  pairingCodeFor: number | null;
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
    pairingPhone: null,
    pairingRequestedAt: null,
    pairingCode: null,
    pairingCodeFor: null,
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
  >
> & { updatedAt: number };
