import type { PauseReason } from '../../whatsapp/whatsapp-provider';
import { AccountRecord, AccountStatus, ConnectionPatch } from '../account';

export interface AccountRow {
  account_id: string;
  name: string | null;
  status: string;
  phone: string | null;
  owner: string | null;
  owner_epoch: number;
  lease_until: number | null;
  last_disconnect_reason: string | null;
  last_disconnect_at: number | null;
  connected_at: number | null;
  qr: string | null;
  qr_at: number | null;
  reconnect_requested_at: number | null;
  reset_requested_at: number | null;
  reconnect_done_for: number | null;
  reset_done_for: number | null;
  pairing_phone: string | null;
  pairing_requested_at: number | null;
  pairing_code: string | null;
  pairing_code_for: number | null;
  paused_until: number | null;
  pause_reason: string | null;
  created_at: number;
  updated_at: number;
}

export function toAccount(row: AccountRow): AccountRecord {
  return {
    accountId: row.account_id,
    name: row.name,
    status: row.status as AccountStatus,
    phone: row.phone,
    owner: row.owner,
    ownerEpoch: row.owner_epoch,
    leaseUntil: row.lease_until,
    lastDisconnectReason: row.last_disconnect_reason,
    lastDisconnectAt: row.last_disconnect_at,
    connectedAt: row.connected_at,
    qr: row.qr,
    qrAt: row.qr_at,
    reconnectRequestedAt: row.reconnect_requested_at,
    resetRequestedAt: row.reset_requested_at,
    reconnectDoneFor: row.reconnect_done_for,
    resetDoneFor: row.reset_done_for,
    pairingPhone: row.pairing_phone,
    pairingRequestedAt: row.pairing_requested_at,
    pairingCode: row.pairing_code,
    pairingCodeFor: row.pairing_code_for,
    pausedUntil: row.paused_until,
    pauseReason: row.pause_reason as PauseReason | null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

const PATCH_COLUMNS: Record<keyof ConnectionPatch, string> = {
  status: 'status',
  phone: 'phone',
  lastDisconnectReason: 'last_disconnect_reason',
  lastDisconnectAt: 'last_disconnect_at',
  connectedAt: 'connected_at',
  qr: 'qr',
  qrAt: 'qr_at',
  reconnectRequestedAt: 'reconnect_requested_at',
  resetRequestedAt: 'reset_requested_at',
  pairingCode: 'pairing_code',
  pairingCodeFor: 'pairing_code_for',
  pausedUntil: 'paused_until',
  pauseReason: 'pause_reason',
  updatedAt: 'updated_at',
};

/** `SET` assignments for the fields a patch carries, with named parameters `@p_<field>`. */
export function patchAssignments(patch: ConnectionPatch): { sql: string; params: Record<string, unknown> } {
  const fields = Object.keys(patch) as Array<keyof ConnectionPatch>;
  return {
    sql: fields.map((field) => `${PATCH_COLUMNS[field]} = @p_${field}`).join(', '),
    params: Object.fromEntries(fields.map((field) => [`p_${field}`, patch[field] ?? null])),
  };
}
