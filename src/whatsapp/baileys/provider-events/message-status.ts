import { isJidBroadcast, proto, type BaileysEventMap, type WAMessageKey } from '@whiskeysockets/baileys';
import { isPermanentAckError } from '../ack-errors';
import type { DropReason } from '../../provider-event-drops';
import type { LidMapping, ProviderReceipt } from '../../whatsapp-provider';
import type { Translated } from './message-upsert';
import { epochMsOf, isWaMessageId, lidMappingFromBaileys, normalizeProviderJid, type ProtoTimestamp } from './provider-fields';

const Status = proto.WebMessageInfo.Status;
const KNOWN_STATUSES = new Set<number>(Object.values(Status).filter((value): value is number => typeof value === 'number'));
const ERROR_CODE_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;

/**
 * `messages.update` entries that carry a status. Baileys sends these for 1:1 receipts (`handleReceipt`:
 * status from the receipt type, `messageTimestamp` = the receipt's time) and for rejected sends
 * (`handleBadAck`: ERROR, the server's code in `messageStubParameters[0]`). Updates without a status
 * (edits, revokes, poll votes) are not receipts and are skipped.
 */
export function receiptsOfMessageUpdates(updates: BaileysEventMap['messages.update']): Translated<ProviderReceipt> {
  const result: Translated<ProviderReceipt> = { events: [], dropped: [] };
  for (const { key, update } of updates ?? []) {
    const status = update?.status;
    if (status === null || status === undefined) continue;
    if (!KNOWN_STATUSES.has(status)) {
      result.dropped.push('invalid_status');
      continue;
    }
    const errorCode = status === Status.ERROR ? errorCodeOf(update.messageStubParameters, result.dropped) : null;
    pushReceipt(result, key, status, errorCode, update.messageTimestamp);
  }
  return result;
}

/**
 * `message-receipt.update`, which Baileys sends for groups (one per participant): `receiptTimestamp` is a
 * delivery, `readTimestamp` a read (rc14 also files "played" under it); `playedTimestamp` is mapped in
 * case a later Baileys sets it.
 */
export function receiptsOfUserReceipts(updates: BaileysEventMap['message-receipt.update']): Translated<ProviderReceipt> {
  const result: Translated<ProviderReceipt> = { events: [], dropped: [] };
  for (const { key, receipt } of updates ?? []) {
    if (receipt?.receiptTimestamp) pushReceipt(result, key, Status.DELIVERY_ACK, null, receipt.receiptTimestamp);
    if (receipt?.readTimestamp) pushReceipt(result, key, Status.READ, null, receipt.readTimestamp);
    if (receipt?.playedTimestamp) pushReceipt(result, key, Status.PLAYED, null, receipt.playedTimestamp);
  }
  return result;
}

export function lidMappingsOf(mappings: ReadonlyArray<BaileysEventMap['lid-mapping.update']>): Translated<LidMapping> {
  const result: Translated<LidMapping> = { events: [], dropped: [] };
  for (const mapping of mappings) {
    const valid = lidMappingFromBaileys(mapping);
    if (valid) result.events.push(valid);
    else result.dropped.push('invalid_lid_mapping');
  }
  return result;
}

function pushReceipt(
  result: Translated<ProviderReceipt>,
  key: WAMessageKey | undefined,
  providerStatus: number,
  errorCode: string | null,
  seconds: ProtoTimestamp | undefined,
): void {
  if (isJidBroadcast(key?.remoteJid ?? '')) return;
  const chatJid = normalizeProviderJid(key?.remoteJid);
  if (!chatJid) return void result.dropped.push('invalid_chat_jid');
  if (!isWaMessageId(key?.id)) return void result.dropped.push('invalid_message_id');
  result.events.push({
    chatJid,
    fromMe: key?.fromMe === true,
    waMessageId: key.id,
    providerStatus,
    errorCode,
    // Baileys reports transient bad acks as ERROR too; only a permanent code may fail the message.
    ...(providerStatus === Status.ERROR ? { permanentError: errorCode !== null && isPermanentAckError(errorCode) } : {}),
    at: epochMsOf(seconds) ?? null,
  });
}

function errorCodeOf(parameters: unknown, dropped: DropReason[]): string | null {
  const code: unknown = Array.isArray(parameters) ? parameters[0] : undefined;
  if (code === undefined || code === null) return null;
  if (ERROR_CODE_PATTERN.test(String(code))) return String(code);
  dropped.push('invalid_error_code');
  return null;
}
