import { AccountRecord } from './account';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** An account as `GET /accounts/:id` answers it, written once: the route and every account event's snapshot. */
export function accountAnswer(account: AccountRecord) {
  return {
    accountId: account.accountId,
    name: account.name,
    status: account.status,
    phone: account.phone,
    ownerWorkerId: account.owner ? account.owner.split('/')[0] : null,
    ownerEpoch: account.ownerEpoch,
    leaseUntil: iso(account.leaseUntil),
    lastDisconnectReason: account.lastDisconnectReason,
    lastDisconnectAt: iso(account.lastDisconnectAt),
    connectedAt: iso(account.connectedAt),
    pausedUntil: iso(account.pausedUntil),
    pauseReason: account.pauseReason,
    createdAt: iso(account.createdAt)!,
    updatedAt: iso(account.updatedAt)!,
  };
}
