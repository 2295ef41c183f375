import { MessageStatus } from '../messaging/message-status';

/**
 * `proto.WebMessageInfo.Status` as numbers, so this module needs no Baileys import (a test checks them
 * against Baileys' enum). The old code read these one too low, so its "delivered" often meant only "sent".
 */
export const PROVIDER_STATUS = { ERROR: 0, PENDING: 1, SERVER_ACK: 2, DELIVERY_ACK: 3, READ: 4, PLAYED: 5 } as const;

/**
 * A provider status to the message status it proves, or null when it proves nothing (PENDING: the
 * frame left this machine, nothing more). ERROR is `failed`, which the forward-only rule then applies
 * only to a message not yet delivered.
 */
export function statusFromProvider(providerStatus: number): Exclude<MessageStatus, 'queued'> | null {
  switch (providerStatus) {
    case PROVIDER_STATUS.ERROR:
      return 'failed';
    case PROVIDER_STATUS.SERVER_ACK:
      return 'sent';
    case PROVIDER_STATUS.DELIVERY_ACK:
      return 'delivered';
    case PROVIDER_STATUS.READ:
      return 'read';
    case PROVIDER_STATUS.PLAYED:
      return 'played';
    default:
      return null;
  }
}
