import { extractMessageContent, getContentType, type proto } from '@whiskeysockets/baileys';

export interface MessageContent {
  text: string | null;
  mediaType: string | null;
}

/**
 * Content kinds that are not a message in a thread: protocol messages (revokes, edits, history sync,
 * key shares: Baileys turns the ones that matter into `messages.update`), reactions and poll votes (they
 * change another message, which the port does not carry), and key distribution alone (group crypto).
 */
const NOT_A_THREAD_MESSAGE = new Set([
  'protocolMessage',
  'reactionMessage',
  'encReactionMessage',
  'pollUpdateMessage',
  'senderKeyDistributionMessage',
  'messageContextInfo',
  'keepInChatMessage',
  'pinInChatMessage',
]);

const MEDIA_TYPES: Record<string, string> = {
  imageMessage: 'image',
  videoMessage: 'video',
  ptvMessage: 'video',
  documentMessage: 'document',
  audioMessage: 'audio',
  stickerMessage: 'sticker',
  locationMessage: 'location',
  liveLocationMessage: 'location',
  contactMessage: 'contact',
  contactsArrayMessage: 'contacts',
  pollCreationMessage: 'poll',
  pollCreationMessageV2: 'poll',
  pollCreationMessageV3: 'poll',
};

/**
 * Text and media type of a message, after Baileys' own unwrapping (`extractMessageContent`: ephemeral,
 * view-once, document-with-caption, edited and template wrappers); undefined when it is no thread
 * message. A kind we do not know is kept with its type name, so an inbound message is never lost.
 */
export function messageContentOf(message: proto.IMessage | null | undefined): MessageContent | undefined {
  const content = extractMessageContent(message);
  const type = getContentType(content);
  if (!content || !type || NOT_A_THREAD_MESSAGE.has(type)) return undefined;
  switch (type) {
    case 'conversation':
      return { text: content.conversation ?? null, mediaType: null };
    case 'extendedTextMessage':
      return { text: content.extendedTextMessage?.text ?? null, mediaType: null };
    case 'imageMessage':
      return { text: content.imageMessage?.caption || null, mediaType: 'image' };
    case 'videoMessage':
      return { text: content.videoMessage?.caption || null, mediaType: 'video' };
    case 'documentMessage':
      return { text: content.documentMessage?.caption || null, mediaType: 'document' };
    case 'contactMessage':
      return { text: content.contactMessage?.displayName || null, mediaType: 'contact' };
    case 'pollCreationMessage':
    case 'pollCreationMessageV2':
    case 'pollCreationMessageV3':
      return { text: content[type]?.name || null, mediaType: 'poll' };
    default:
      return { text: null, mediaType: MEDIA_TYPES[type] ?? type.replace(/Message$/, '') };
  }
}
