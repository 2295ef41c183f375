import { proto } from '@whiskeysockets/baileys';
import { InvalidInput } from '../../common/errors';

const Status = proto.WebMessageInfo.Status;

export type InjectedStatus = 'sent' | 'delivered' | 'read' | 'played' | 'error' | number;

/** The simulator route's status names, to `proto.WebMessageInfo.Status` (what the receipt would carry). */
const STATUS_BY_NAME: Record<string, number> = {
  error: Status.ERROR,
  sent: Status.SERVER_ACK,
  delivered: Status.DELIVERY_ACK,
  read: Status.READ,
  played: Status.PLAYED,
};

export function receiptStatusOf(status: unknown): number {
  if (typeof status === 'string' && status in STATUS_BY_NAME) return STATUS_BY_NAME[status];
  const numeric = typeof status === 'number' ? status : typeof status === 'string' && /^\d$/.test(status) ? Number(status) : NaN;
  if (Number.isInteger(numeric) && numeric in Status) return numeric;
  throw new InvalidInput('status', `must be sent, delivered, read, played, error or a Baileys status number ${Status.ERROR}..${Status.PLAYED}`);
}
