import {
  BufferJSON,
  initAuthCreds,
  makeCacheableSignalKeyStore,
  proto,
  type AuthenticationCreds,
  type AuthenticationState,
  type SignalDataSet,
  type SignalDataTypeMap,
  type SignalKeyStore,
} from '@whiskeysockets/baileys';
import type { SocketLogger } from './socket-factory';
import type { SessionStore } from '../whatsapp-provider';
import { ExpiringCache } from './expiring-cache';

export const CREDS_KEY = 'creds';
/** Baileys' own signal-store TTL (`DEFAULT_CACHE_TTLS.SIGNAL_STORE`). */
const SIGNAL_CACHE_TTL_MS = 5 * 60_000;

export interface SessionAuthState {
  state: AuthenticationState;
  /** Writes the current creds; writes are chained so an older snapshot never lands after a newer one. */
  saveCreds(): Promise<void>;
  /** Settles when every creds write started so far has finished (failed ones included). */
  credsWritten(): Promise<void>;
}

export function signalKeyName(type: string, id: string): string {
  return `${type}-${id}`;
}

/**
 * Baileys' `AuthenticationState` over the account's `SessionStore`, laid out like Baileys'
 * `useMultiFileAuthState`: creds under `creds`, each signal key under `{type}-{id}`, JSON written with
 * `BufferJSON` so Buffers survive. A new account gets `initAuthCreds()`.
 */
export async function loadSessionAuthState(session: SessionStore, logger?: SocketLogger): Promise<SessionAuthState> {
  const stored = (await session.read([CREDS_KEY])).get(CREDS_KEY);
  const creds: AuthenticationCreds = stored ? JSON.parse(stored, BufferJSON.reviver) : initAuthCreds();
  // The cache is per socket (not per account): after another worker held the account, its keys may have moved on.
  const keys = makeCacheableSignalKeyStore(signalKeyStoreOver(session), logger, new ExpiringCache(SIGNAL_CACHE_TTL_MS));
  let lastWrite: Promise<void> = Promise.resolve();
  return {
    state: { creds, keys },
    saveCreds() {
      const write = lastWrite.then(() =>
        session.write(new Map([[CREDS_KEY, JSON.stringify(creds, BufferJSON.replacer)]])),
      );
      lastWrite = write.catch(() => undefined);
      return write;
    },
    credsWritten: () => lastWrite,
  };
}

/**
 * The uncached key store. Each `set` is one `SessionStore.write` of its whole change set, so concurrent
 * sets never read-modify-write one another's keys, and a pre-key batch lands all or nothing.
 */
export function signalKeyStoreOver(session: SessionStore): SignalKeyStore {
  return {
    async get<T extends keyof SignalDataTypeMap>(type: T, ids: string[]) {
      const stored = await session.read(ids.map((id) => signalKeyName(type, id)));
      const found: { [id: string]: SignalDataTypeMap[T] } = {};
      for (const id of ids) {
        const json = stored.get(signalKeyName(type, id));
        if (json === undefined) continue;
        let value = JSON.parse(json, BufferJSON.reviver);
        // As in useMultiFileAuthState: app-state keys must be the protobuf class, not a plain object.
        if (type === 'app-state-sync-key' && value) value = proto.Message.AppStateSyncKeyData.fromObject(value);
        found[id] = value;
      }
      return found;
    },
    async set(data: SignalDataSet) {
      const changes = new Map<string, string | null>();
      for (const type of Object.keys(data) as (keyof SignalDataSet)[]) {
        for (const [id, value] of Object.entries(data[type] ?? {})) {
          changes.set(signalKeyName(type, id), value ? JSON.stringify(value, BufferJSON.replacer) : null);
        }
      }
      if (changes.size > 0) await session.write(changes);
    },
  };
}
