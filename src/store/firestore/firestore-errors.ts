/** gRPC status codes the adapters turn into domain outcomes (firebase-admin reports them as `code`). */
const ALREADY_EXISTS = 6;
const NOT_FOUND = 5;

function hasCode(error: unknown, code: number): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}

/** A `create()` (or a transaction holding one) found the document already there. */
export function isAlreadyExists(error: unknown): boolean {
  return hasCode(error, ALREADY_EXISTS);
}

/** A write with an `exists: true` precondition found no document. */
export function isNotFound(error: unknown): boolean {
  return hasCode(error, NOT_FOUND);
}
