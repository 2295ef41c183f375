import { createHash } from 'node:crypto';
import { MESSAGE_ID_PATTERN, WA_MESSAGE_ID_PATTERN, isAccountId } from '../common/ids';
import { normalizeJid, threadIdOf } from '../common/jid';
import { MessageRecord } from '../messaging/message';
import { LegacyMessage } from './legacy-records';
import { migratedStatus } from './legacy-status';

/** Where an old doc goes in the new layout, or why it stays where it is (it is reported, never dropped). */
export type Placement<T> = { placed: T } | { unplaceable: string };

/**
 * The new-layout message an old one becomes, in its own account's thread, keeping its id. `seq` is not
 * set here: it depends on the target thread (thread-migration.ts hands it out).
 */
export function placeMessage(old: LegacyMessage): Placement<MessageRecord> {
  if (!isAccountId(old.accountId)) return { unplaceable: `accountId ${JSON.stringify(old.accountId ?? null)} is not an account id` };
  const clientJid = normalizeJid(old.oldThreadId);
  if (!clientJid) return { unplaceable: `old thread id ${JSON.stringify(old.oldThreadId)} is no person, LID or group JID` };
  if (!MESSAGE_ID_PATTERN.test(old.messageId)) return { unplaceable: 'message id is not 1-64 letters, digits, "_" or "-"' };
  if (!old.direction) return { unplaceable: 'no direction (neither `direction` nor `fromMe`)' };
  const createdAt = old.createdAt ?? old.updatedAt;
  if (createdAt === undefined) return { unplaceable: 'no time (neither `createdAt`, `timestamp` nor `updatedAt`)' };
  if (old.waMessageId !== undefined && !WA_MESSAGE_ID_PATTERN.test(old.waMessageId)) return { unplaceable: 'waMessageId is not a WhatsApp message id' };

  const status = migratedStatus({ ...old, direction: old.direction, createdAt });
  const message: MessageRecord = {
    threadId: threadIdOf(old.accountId, clientJid),
    messageId: old.messageId,
    accountId: old.accountId,
    clientJid,
    direction: old.direction,
    text: old.text,
    status: status.status,
    waMessageId: old.waMessageId ?? legacyWaMessageId(old.accountId, old.messageId),
    createdAt,
    updatedAt: old.updatedAt ?? createdAt,
    ...status.times,
  };
  for (const field of ['requestId', 'error', 'participant', 'mediaType'] as const) if (old[field] !== undefined) message[field] = old[field];
  if (status.uncertain) message.statusUncertain = true;
  return { placed: message };
}

/**
 * The old code kept no WhatsApp id for a message it had not sent yet, but the new layout keys every
 * message by one (the lookup) and reuses it for every attempt. Derived from the message, in Baileys' own
 * format (`3EB0` + 18 hex digits), so every run of the migration gives the same id.
 */
export function legacyWaMessageId(accountId: string, messageId: string): string {
  return `3EB0${createHash('sha256').update(`${accountId}/${messageId}`).digest('hex').slice(0, 18).toUpperCase()}`;
}
