/** The 202 answer of an accepted send; returned verbatim to a retry with the same key and request. */
export interface SendAnswer {
  requestId: string;
  messageId: string;
  threadId: string;
  waMessageId: string;
  status: 'queued';
}

/** Everything the accept write needs: the message, its thread and the work that will send it, at once. */
export interface AcceptedSend {
  accountId: string;
  requestId: string;
  threadId: string;
  clientJid: string;
  messageId: string;
  waMessageId: string;
  text: string;
  requestHash: string;
  now: number;
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
