import { RemoteError } from './remote-error';

/** One repository call: its id (to match the answer), the port's name, the method and its arguments. */
export type StoreCall = [id: number, port: string, method: string, args: unknown[]];
export type StoreAnswer = [id: number, ok: true, value: unknown] | [id: number, ok: false, error: RemoteError];

export type ToWorker = { calls: StoreCall[] } | { close: true };
export type FromWorker = { ready: Record<string, string> } | { answers: StoreAnswer[] } | { closed: true };

/** The port name under which the worker answers the readiness probe. */
export const STORE_PROBE = 'SqliteStore';
