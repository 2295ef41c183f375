/** Domain errors; `DomainErrorFilter` is the one place that maps them to HTTP. */
export abstract class DomainError extends Error {
  abstract readonly httpStatus: number;
}

export class InvalidInput extends DomainError {
  readonly httpStatus = 400;
  constructor(readonly field: string, readonly reason: string) {
    super(`${field}: ${reason}`);
  }
}

export class AccountNotFound extends DomainError {
  readonly httpStatus = 404;
  constructor(readonly accountId: string) {
    super(`accountId: account "${accountId}" does not exist`);
  }
}

export class AccountAlreadyExists extends DomainError {
  readonly httpStatus = 409;
  constructor(readonly accountId: string) {
    super(`accountId: account "${accountId}" already exists`);
  }
}

/** A logged-out account sends nothing until an operator links it again (reconnect or reset-session). */
export class AccountLoggedOut extends DomainError {
  readonly httpStatus = 409;
  constructor(readonly accountId: string) {
    super(`accountId: "${accountId}" is logged_out; POST reconnect (or reset-session) and link it first`);
  }
}

/** The id of a deleted account whose threads, messages and records are still being removed. */
export class AccountBeingPurged extends DomainError {
  readonly httpStatus = 409;
  constructor(readonly accountId: string) {
    super(`accountId: "${accountId}" was deleted and its data is still being removed; retry shortly`);
  }
}

export class ThreadNotFound extends DomainError {
  readonly httpStatus = 404;
  constructor(readonly threadId: string) {
    super(`threadId: thread "${threadId}" does not exist`);
  }
}

export class MessageNotFound extends DomainError {
  readonly httpStatus = 404;
  constructor(readonly messageId: string) {
    super(`messageId: message "${messageId}" does not exist in this thread`);
  }
}

export class MediaNotStored extends DomainError {
  readonly httpStatus = 404;
  constructor(readonly messageId: string) {
    super(`messageId: message "${messageId}" has no stored media (not a media message, or its file is not downloaded yet)`);
  }
}

/** A signed media link that is not ours as it stands (changed, or never signed) or is past its time. */
export class MediaLinkRefused extends DomainError {
  readonly httpStatus = 403;
  constructor(reason: string) {
    super(`sig: ${reason}; ask for the message again for a fresh link`);
  }
}

export class RangeNotSatisfiable extends DomainError {
  readonly httpStatus = 416;
  constructor(readonly size: number) {
    super(`range: asks for no byte of this ${size}-byte file, or for several ranges; ask for one bytes=start-end`);
  }
}

export class WebhookNotFound extends DomainError {
  readonly httpStatus = 404;
  constructor(readonly webhookId: string) {
    super(`webhookId: webhook "${webhookId}" does not exist`);
  }
}

export class IdempotencyConflict extends DomainError {
  readonly httpStatus = 409;
  constructor(readonly requestId: string) {
    super(`requestId: "${requestId}" was already used on this account for a different recipient or text`);
  }
}

export class NotAvailable extends DomainError {
  readonly httpStatus = 404;
  constructor(field: string, reason: string) {
    super(`${field}: ${reason}`);
  }
}

export class ConflictWithState extends DomainError {
  readonly httpStatus = 409;
  constructor(field: string, reason: string) {
    super(`${field}: ${reason}`);
  }
}

/** Another instance had to answer and did not in time: nothing is wrong with the request, retrying may work. */
export class NoAnswerInTime extends DomainError {
  readonly httpStatus = 503;
  constructor(field: string, reason: string) {
    super(`${field}: ${reason}`);
  }
}

/**
 * The sqlite store has `limit` calls waiting already: this call was refused before it was sent, so it
 * wrote nothing. The queue drains in well under a second once the store answers again.
 */
export class StoreQueueFull extends DomainError {
  readonly httpStatus = 503;
  readonly retryAfterSeconds = 1;
  constructor(readonly limit: number) {
    super(`store: ${limit} store calls are waiting already; nothing was written, retry after the Retry-After seconds`);
  }
}

/** A file over its type's limit: the upload was aborted and nothing of it was kept. */
export class MediaTooLarge extends DomainError {
  readonly httpStatus = 413;
  /** `limit`: which one, in words ("the image limit"). */
  constructor(field: string, limit: string, limitMib: number) {
    super(`${field}: larger than ${limit} of ${limitMib} MiB; nothing was stored`);
  }
}

/**
 * The store did not answer an API request within STORE_DEADLINE_MS (Firestore unreachable, sqlite locked
 * or stalled). The request's store calls go on: a write may still commit, so its outcome is unknown, and
 * the answer names the `requestId` a retry must carry to find it rather than write a second one.
 */
export class StoreNoAnswer extends DomainError {
  readonly httpStatus = 503;
  readonly retryAfterSeconds: number;
  constructor(
    deadlineMs: number,
    readonly write: boolean,
    readonly requestId: string | undefined,
  ) {
    super(`store: no answer within ${deadlineMs} ms; ${outcomeOf(write, requestId)}`);
    this.retryAfterSeconds = Math.max(1, Math.ceil(deadlineMs / 1000));
  }
}

function outcomeOf(write: boolean, requestId: string | undefined): string {
  if (!write) return 'nothing was changed, retry after the Retry-After seconds';
  if (requestId === undefined) return 'whether this request was written is unknown';
  return `whether this request was written is unknown: retry with the same Idempotency-Key ("${requestId}"), which answers the one stored result`;
}
