import { MessageType } from '../media/media';

/**
 * Whether a message (received, echoed or accepted) becomes its thread's summary: the one rule both stores'
 * inbound and accept writes call. WhatsApp's timestamps are whole seconds, so two messages of one second
 * tie; the later to arrive wins. A replayed older one (`append` after a reconnect) keeps its place. A
 * reaction is about another message, not the conversation's latest turn: it never moves a summary (a
 * thread it opens still starts at it, having no other).
 */
export function movesThreadSummary(currentLastAt: number | null | undefined, candidateAt: number, type?: MessageType): boolean {
  if (currentLastAt === null || currentLastAt === undefined) return true;
  return type !== 'reaction' && candidateAt >= currentLastAt;
}
