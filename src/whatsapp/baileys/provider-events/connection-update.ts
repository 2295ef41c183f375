import { DisconnectReason, type ConnectionState, type Contact } from '@whiskeysockets/baileys';
import type { ConnectionEvent, DisconnectKind } from '../../whatsapp-provider';
import { phoneOfUserJid } from './provider-fields';

/**
 * Baileys' status codes to `DisconnectReason` names. 408 is both `connectionLost` and `timedOut` in
 * Baileys' enum; we name it `connectionLost`, because most 408s are the network: the keep-alive missing
 * its pong, a WebSocket ETIMEDOUT/ENOTFOUND (`getCodeFromWSError`), a pre-key upload timing out. The one
 * `timedOut` case, a QR login whose refs ran out, keeps its message ("QR refs attempts ended"), and the
 * accounts module knows it was showing a QR.
 */
const DISCONNECT_KINDS = new Map<number, DisconnectKind>([
  [DisconnectReason.connectionClosed, 'connectionClosed'],
  [DisconnectReason.connectionLost, 'connectionLost'],
  [DisconnectReason.connectionReplaced, 'connectionReplaced'],
  [DisconnectReason.loggedOut, 'loggedOut'],
  [DisconnectReason.badSession, 'badSession'],
  [DisconnectReason.restartRequired, 'restartRequired'],
  [DisconnectReason.multideviceMismatch, 'multideviceMismatch'],
  [DisconnectReason.forbidden, 'forbidden'],
  [DisconnectReason.unavailableService, 'unavailableService'],
]);

export function disconnectKindOf(statusCode: number | null): DisconnectKind {
  return (statusCode !== null && DISCONNECT_KINDS.get(statusCode)) || 'unknown';
}

/** Baileys closes with a Boom error; its status code is `output.statusCode` (a plain Error has none). */
export function statusCodeOf(error: unknown): number | null {
  const code = (error as { output?: { statusCode?: unknown } } | undefined)?.output?.statusCode;
  return typeof code === 'number' && Number.isInteger(code) ? code : null;
}

/**
 * One `connection.update` to the port's connection events (none, one or several: Baileys sends
 * `{connection: 'connecting', qr: undefined}` together, and updates such as `receivedPendingNotifications`
 * that the port does not carry). `user` is `sock.user`, the account's own contact once logged in.
 */
export function connectionEventsOf(update: Partial<ConnectionState>, user: Contact | undefined): ConnectionEvent[] {
  const events: ConnectionEvent[] = [];
  if (update.connection === 'connecting') events.push({ type: 'connecting' });
  if (typeof update.qr === 'string' && update.qr.length > 0) events.push({ type: 'qr', qr: update.qr });
  if (update.connection === 'open') {
    events.push({ type: 'open', phone: phoneOfUserJid(user?.id), name: user?.name ?? user?.notify ?? null });
  }
  if (update.connection === 'close') {
    const error = update.lastDisconnect?.error;
    const statusCode = statusCodeOf(error);
    events.push({
      type: 'close',
      reason: disconnectKindOf(statusCode),
      statusCode,
      message: error?.message || 'connection closed',
    });
  }
  return events;
}
