import type { SqliteStore } from '../sqlite-store';
import { RemoteError } from './remote-error';

/** One repository call: its id (to match the answer), the port's name, the method and its arguments. */
export type StoreCall = [id: number, port: string, method: string, args: unknown[]];
export type StoreAnswer = [id: number, ok: true, value: unknown] | [id: number, ok: false, error: RemoteError];

export type ToWorker = { calls: StoreCall[] } | { close: true };
export type FromWorker = { ready: Record<string, string> } | { answers: StoreAnswer[] } | { closed: true };

/** The port name under which the worker answers the readiness probe. */
export const STORE_PROBE = 'SqliteStore';

/** How the worker makes the sqlite adapter it runs for each port, on its store, by the port's name. */
export type ServedAdapterFactories = Record<string, (store: SqliteStore) => object>;
/** Error classes by name, so an error thrown in the worker is the same class again on the caller's side. */
export type ServedErrorClasses = Record<string, abstract new (...args: never[]) => Error>;

/**
 * What the store worker serves, given by the composition root (store/ knows no domain): the file of a
 * module exporting `SERVED_ADAPTERS` (the worker loads it), and the errors the adapters throw by class.
 */
export interface StoreWorkerAdapters {
  module: string;
  errors: ServedErrorClasses;
}

/** What the worker is started with. */
export interface StoreWorkerData {
  path: string;
  writeQueueLimit: number;
  /** The compiled adapters module: a worker thread loads plain JavaScript only. */
  adaptersModule: string;
}
