import { isJidBroadcast, isJidGroup, isJidNewsletter, type BaileysEventMap, type WAMessage } from '@whiskeysockets/baileys';
import type { DropReason } from '../../provider-event-drops';
import type { LidMapping, ProviderMessage } from '../../whatsapp-provider';
import { messageContentOf } from './message-content';
import { epochMsOf, isWaMessageId, lidMappingOf, normalizeProviderJid } from './provider-fields';

export interface Translated<T> {
  events: T[];
  /** One entry per event, or field of an event, that failed validation. */
  dropped: DropReason[];
}

export interface TranslatedUpsert extends Translated<ProviderMessage> {
  /** LID <-> phone pairs the message keys carried (`remoteJidAlt` / `participantAlt`). */
  lidMappings: LidMapping[];
}

/**
 * `messages.upsert` to the port's messages. Both `notify` (live) and `append` (what WhatsApp queued while
 * we were away, and Baileys' echo of our own sends) are passed on; the store dedupes by WhatsApp's key.
 */
export function messagesOfUpsert(upsert: BaileysEventMap['messages.upsert']): TranslatedUpsert {
  const result: TranslatedUpsert = { events: [], dropped: [], lidMappings: [] };
  if (upsert.type !== 'notify' && upsert.type !== 'append') return result;
  for (const message of upsert.messages ?? []) {
    translateOne(message, upsert.type, result);
  }
  return result;
}

function translateOne(message: WAMessage, upsertType: 'notify' | 'append', result: TranslatedUpsert): void {
  const key = message.key;
  const remoteJid = key?.remoteJid ?? '';
  // Status updates, broadcast lists and channels are no conversation with a client.
  if (isJidBroadcast(remoteJid) || isJidNewsletter(remoteJid)) return;
  const chatJid = normalizeProviderJid(remoteJid);
  const contentDrops: DropReason[] = [];
  const content = messageContentOf(message.message, contentDrops);
  if (!content) return void result.dropped.push(...contentDrops);
  if (!chatJid) return void result.dropped.push('invalid_chat_jid');
  if (!isWaMessageId(key.id)) return void result.dropped.push('invalid_message_id');
  const timestamp = epochMsOf(message.messageTimestamp);
  if (timestamp === undefined) return void result.dropped.push('invalid_timestamp');

  const group = isJidGroup(chatJid) === true;
  const participant = group ? optionalJid(key.participant, 'invalid_participant_jid', result.dropped) : null;
  const chatAltJid = group ? null : optionalJid(key.remoteJidAlt, 'invalid_alt_jid', result.dropped);
  // Baileys itself reads the alternate form as the alt of `participant || remoteJid` (handleMessage).
  const mapping = lidMappingOf(key.participant || remoteJid, key.participantAlt || key.remoteJidAlt);
  if (mapping) result.lidMappings.push(mapping);

  result.events.push({
    chatJid,
    chatAltJid,
    fromMe: key.fromMe === true,
    waMessageId: key.id,
    timestamp,
    type: content.type,
    text: content.text,
    media: content.media,
    // The key as WhatsApp sent it: a re-upload request names the message by it.
    mediaSource: content.file && { key: { remoteJid, fromMe: key.fromMe === true, id: key.id, participant: key.participant || null }, file: content.file },
    content: content.content,
    participant,
    upsertType,
  });
}

function optionalJid(jid: string | null | undefined, reason: DropReason, dropped: DropReason[]): string | null {
  if (jid === null || jid === undefined || jid === '') return null;
  const normalized = normalizeProviderJid(jid);
  if (!normalized) dropped.push(reason);
  return normalized ?? null;
}
