/** gRPC status codes the adapters turn into domain outcomes (firebase-admin reports them as `code`). */
const NOT_FOUND = 5;
const ALREADY_EXISTS = 6;
const FAILED_PRECONDITION = 9;

function hasCode(error: unknown, code: number): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}

/** A `create()` (or a transaction holding one) found the document already there. */
export function isAlreadyExists(error: unknown): boolean {
  return hasCode(error, ALREADY_EXISTS);
}

/** An `update()`, or a write with an `exists: true` precondition, found no document. */
export function isNotFound(error: unknown): boolean {
  return hasCode(error, NOT_FOUND);
}

/** A `lastUpdateTime` precondition was stale: someone wrote the document since it was read. */
export function isFailedPrecondition(error: unknown): boolean {
  return hasCode(error, FAILED_PRECONDITION);
}
