import { MediaType, MessageMedia } from '../media/media';

/** The 202 answer of an accepted send; returned verbatim to a retry with the same key and request. */
export interface SendAnswer {
  requestId: string;
  messageId: string;
  threadId: string;
  waMessageId: string;
  status: 'queued';
}

/** A media send's file as the queued message and its outbox item carry it: stored before the accept. */
export interface SentMedia extends MessageMedia {
  type: MediaType;
  stored: true;
}

/** Everything the accept write needs: the message, its thread and the work that will send it, at once. */
export interface AcceptedSend {
  accountId: string;
  requestId: string;
  threadId: string;
  clientJid: string;
  messageId: string;
  waMessageId: string;
  /** A media send has none: its words are the file's caption. */
  text: string | null;
  media?: SentMedia;
  requestHash: string;
  now: number;
}

/** What the thread summary shows of a send: its text, or its file's caption. */
export function summaryTextOf(send: Pick<AcceptedSend, 'text' | 'media'>): string | null {
  return send.text ?? send.media?.caption ?? null;
}

/** The queued message's `type` and `media` (a text send has neither: it reads as `text`). */
export function messageMediaOf(send: Pick<AcceptedSend, 'media'>): { type?: MediaType; media?: MessageMedia } {
  if (!send.media) return {};
  const { type, ...media } = send.media;
  return { type, media };
}

/** `existing`: the key was used before on this account; the first request's hash and answer. */
export interface Acceptance {
  kind: 'accepted' | 'existing';
  requestHash: string;
  answer: SendAnswer;
}

/**
 * Where an accepted send becomes durable work: the queued message, its lookup, the thread summary and
 * what will send it, in one write. The core defines it and the outbox implements it (OutboxAcceptance);
 * the composition root binds the two, so messaging never imports the outbox.
 * Throws `AccountNotFound` / `AccountLoggedOut`, checked inside that write.
 */
export abstract class SendAcceptance {
  abstract accept(send: AcceptedSend): Promise<Acceptance>;
}
