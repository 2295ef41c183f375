import { DisconnectReason } from '@whiskeysockets/baileys';
import { InvalidInput } from '../../common/errors';

export type DisconnectReasonName = Exclude<keyof typeof DisconnectReason, number>;

/** Baileys' `DisconnectReason` names, read from its enum (a TypeScript enum also maps numbers back to names). */
export const DISCONNECT_REASON_NAMES = Object.keys(DisconnectReason).filter((key) => Number.isNaN(Number(key))) as DisconnectReasonName[];

/** What WhatsApp's close looks like for each reason, as Baileys words it where it has a message of its own. */
const MESSAGES: Partial<Record<DisconnectReasonName, string>> = {
  connectionClosed: 'Connection Terminated',
  connectionLost: 'Connection was lost',
  timedOut: 'QR refs attempts ended',
  connectionReplaced: 'Stream Errored (conflict)',
  loggedOut: 'Connection Failure',
  restartRequired: 'Stream Errored (restart required)',
  multideviceMismatch: 'Multi-device beta not joined',
};

export function disconnectReasonOf(name: unknown): { name: DisconnectReasonName; statusCode: number; message: string } {
  if (typeof name !== 'string' || !DISCONNECT_REASON_NAMES.includes(name as DisconnectReasonName)) {
    throw new InvalidInput('reason', `must be a Baileys DisconnectReason name: ${DISCONNECT_REASON_NAMES.join(', ')}`);
  }
  const reason = name as DisconnectReasonName;
  return { name: reason, statusCode: DisconnectReason[reason], message: MESSAGES[reason] ?? `Simulated disconnect (${reason})` };
}
