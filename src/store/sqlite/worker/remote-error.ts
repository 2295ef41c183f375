import type { ServedErrorClasses } from './protocol';

/** An error as it crosses between threads: its class by name, its message, stack and own fields. */
export interface RemoteError {
  className: string;
  message: string;
  stack?: string;
  fields: Record<string, unknown>;
}

export function toRemoteError(error: unknown): RemoteError {
  if (!(error instanceof Error)) return { className: 'Error', message: String(error), fields: {} };
  const fields: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(error)) {
    // Only what survives postMessage: a field that does not (a function, a socket) is dropped, not fatal.
    try {
      fields[name] = structuredClone(value);
    } catch {
      /* left out */
    }
  }
  return { className: error.constructor.name, message: error.message, stack: error.stack, fields };
}

/**
 * The same error again on the caller's side: same class (so `instanceof` and the HTTP mapping hold), same
 * fields. A class not among `errors` comes back as an Error.
 */
export function fromRemoteError(remote: RemoteError, errors: ServedErrorClasses): Error {
  const errorClass = errors[remote.className] ?? Error;
  const error = Object.create(errorClass.prototype) as Error;
  Object.assign(error, remote.fields);
  Object.defineProperty(error, 'message', { value: remote.message, writable: true, configurable: true });
  Object.defineProperty(error, 'stack', { value: `${remote.stack ?? remote.message}\n    (in the sqlite store worker)`, writable: true, configurable: true });
  return error;
}
