import { extractMessageContent, getContentType, type proto } from '@whiskeysockets/baileys';
import type { DropReason } from '../../provider-event-drops';
import type { ProviderMessageContent } from '../../whatsapp-provider';
import { mediaOf } from './message-media';
import { isWaMessageId } from './provider-fields';

/**
 * Content kinds that are no message in a thread: protocol messages (revokes, edits, history sync, key
 * shares: Baileys turns the ones that matter into `messages.update`), encrypted reactions and poll votes
 * (they change another message and only the sender's keys open them), and key distribution alone (group crypto).
 */
const NOT_A_THREAD_MESSAGE = new Set([
  'protocolMessage',
  'encReactionMessage',
  'pollUpdateMessage',
  'senderKeyDistributionMessage',
  'messageContextInfo',
  'keepInChatMessage',
  'pinInChatMessage',
]);

const TEXT = (text: string | null | undefined): ProviderMessageContent => ({ type: 'text', text: text ?? null, media: null, file: null, content: null });
const UNSUPPORTED: ProviderMessageContent = { type: 'unsupported', text: null, media: null, file: null, content: null };

/**
 * What a message is and carries, after Baileys' own unwrapping (`extractMessageContent`: ephemeral,
 * view-once, document-with-caption, edited and template wrappers): its type, text (a caption for media),
 * file, or location/contact/reaction. Undefined when it is no thread message; a kind we do not know is
 * `unsupported`, never dropped. A shape WhatsApp does not send is a drop, with its reason in `dropped`.
 */
export function messageContentOf(message: proto.IMessage | null | undefined, dropped: DropReason[]): ProviderMessageContent | undefined {
  const content = extractMessageContent(message);
  const kind = getContentType(content);
  if (!content || !kind || NOT_A_THREAD_MESSAGE.has(kind)) return undefined;
  switch (kind) {
    case 'conversation':
      return TEXT(content.conversation);
    case 'extendedTextMessage':
      return TEXT(content.extendedTextMessage?.text);
    case 'imageMessage':
    case 'videoMessage':
    case 'ptvMessage':
    case 'audioMessage':
    case 'documentMessage':
    case 'stickerMessage':
      return mediaOf(kind, content[kind], dropped);
    case 'locationMessage':
    case 'liveLocationMessage':
      return locationOf(content[kind], dropped);
    case 'contactMessage':
      return contactOf(content.contactMessage?.displayName, content.contactMessage?.vcard);
    case 'contactsArrayMessage': {
      // One vCard file may hold several vCards one after another (RFC 6350 §3.1).
      const vcards = (content.contactsArrayMessage?.contacts ?? []).map((contact) => contact.vcard).filter((vcard) => typeof vcard === 'string');
      return contactOf(content.contactsArrayMessage?.displayName, vcards.length ? vcards.join('\r\n') : null);
    }
    case 'reactionMessage':
      return reactionOf(content.reactionMessage, dropped);
    default:
      return UNSUPPORTED;
  }
}

function locationOf(location: proto.Message.ILocationMessage | proto.Message.ILiveLocationMessage | null | undefined, dropped: DropReason[]): ProviderMessageContent | undefined {
  const latitude = location?.degreesLatitude;
  const longitude = location?.degreesLongitude;
  if (!isDegrees(latitude, 90) || !isDegrees(longitude, 180)) return void dropped.push('invalid_location');
  const named = location as proto.Message.ILocationMessage;
  return {
    type: 'location',
    text: null,
    media: null,
    file: null,
    content: { kind: 'location', latitude, longitude, name: stringOrNull(named.name), address: stringOrNull(named.address) },
  };
}

function contactOf(displayName: string | null | undefined, vcard: string | null | undefined): ProviderMessageContent {
  return { type: 'contact', text: null, media: null, file: null, content: { kind: 'contact', displayName: stringOrNull(displayName), vcard: stringOrNull(vcard) } };
}

/** An empty `text` is the sender taking their reaction back: stored as such, with an empty emoji. */
function reactionOf(reaction: proto.Message.IReactionMessage | null | undefined, dropped: DropReason[]): ProviderMessageContent | undefined {
  const target = reaction?.key?.id;
  if (!isWaMessageId(target)) return void dropped.push('invalid_reaction');
  const emoji = typeof reaction?.text === 'string' ? reaction.text : '';
  return { type: 'reaction', text: null, media: null, file: null, content: { kind: 'reaction', targetWaMessageId: target, emoji } };
}

function isDegrees(value: unknown, limit: number): value is number {
  return typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= limit;
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null;
}
