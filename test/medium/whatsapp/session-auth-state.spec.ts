import { randomBytes } from 'node:crypto';
import { BufferJSON, proto, type SignalDataSet } from '@whiskeysockets/baileys';
import { describe, expect, it } from 'vitest';
import { CREDS_KEY, loadSessionAuthState } from '../../../src/whatsapp/baileys/session-auth-state';
import { MemorySessionStore } from './support/memory-session-store';

function bytesOf(value: Uint8Array): string {
  return Buffer.from(value).toString('hex');
}

describe('session auth state over a SessionStore', () => {
  it('makes fresh creds for a new account and writes nothing until asked', async () => {
    const store = new MemorySessionStore();
    const { state } = await loadSessionAuthState(store);
    // Baileys draws it from 14 random bits, so 0 comes up once in 16,384 runs (it did, once, here).
    expect(Number.isInteger(state.creds.registrationId) && state.creds.registrationId >= 0 && state.creds.registrationId < 16384).toBe(true);
    expect(state.creds.noiseKey.private).toHaveLength(32);
    expect(store.values.size).toBe(0);
  });

  it('creds survive a round trip byte for byte, Buffers included', async () => {
    const store = new MemorySessionStore();
    const first = await loadSessionAuthState(store);
    first.state.creds.me = { id: '40712345678:3@s.whatsapp.net', name: 'Shop' };
    first.state.creds.routingInfo = randomBytes(24);
    await first.saveCreds();

    const stored = store.values.get(CREDS_KEY)!;
    expect(JSON.parse(stored).noiseKey.private).toEqual({ type: 'Buffer', data: expect.any(String) });

    const second = await loadSessionAuthState(store);
    const a = first.state.creds;
    const b = second.state.creds;
    expect(b.me).toEqual(a.me);
    expect(b.registrationId).toBe(a.registrationId);
    expect(bytesOf(b.noiseKey.private)).toBe(bytesOf(a.noiseKey.private));
    expect(bytesOf(b.signedIdentityKey.public)).toBe(bytesOf(a.signedIdentityKey.public));
    expect(bytesOf(b.signedPreKey.signature)).toBe(bytesOf(a.signedPreKey.signature));
    expect(bytesOf(b.routingInfo!)).toBe(bytesOf(a.routingInfo!));
    expect(Buffer.isBuffer(b.noiseKey.private)).toBe(true);
  });

  it('signal keys survive a round trip under {type}-{id}, app-state keys as the protobuf class', async () => {
    const store = new MemorySessionStore();
    const { state } = await loadSessionAuthState(store);
    const session = randomBytes(180);
    const preKey = { public: randomBytes(32), private: randomBytes(32) };
    const appStateKey = proto.Message.AppStateSyncKeyData.fromObject({ keyData: randomBytes(32), timestamp: 1_700_000_000 });
    await state.keys.set({
      session: { '40712345678.0': session },
      'pre-key': { '7': preKey },
      'app-state-sync-key': { 'AAAAAbcd/+=': appStateKey },
    });
    expect([...store.values.keys()].sort()).toEqual(['app-state-sync-key-AAAAAbcd/+=', 'pre-key-7', 'session-40712345678.0']);

    // A fresh state reads through to the store (its cache is per socket).
    const { state: reloaded } = await loadSessionAuthState(store);
    const sessions = await reloaded.keys.get('session', ['40712345678.0', 'missing']);
    expect(bytesOf(sessions['40712345678.0'])).toBe(bytesOf(session));
    expect(sessions.missing).toBeUndefined();
    const preKeys = await reloaded.keys.get('pre-key', ['7']);
    expect(bytesOf(preKeys['7'].private)).toBe(bytesOf(preKey.private));
    const appKeys = await reloaded.keys.get('app-state-sync-key', ['AAAAAbcd/+=']);
    expect(appKeys['AAAAAbcd/+=']).toBeInstanceOf(proto.Message.AppStateSyncKeyData);
    expect(bytesOf(appKeys['AAAAAbcd/+='].keyData!)).toBe(bytesOf(appStateKey.keyData!));
  });

  it('a null value deletes the key', async () => {
    const store = new MemorySessionStore();
    const { state } = await loadSessionAuthState(store);
    await state.keys.set({ 'pre-key': { '1': { public: randomBytes(32), private: randomBytes(32) } } });
    await state.keys.set({ 'pre-key': { '1': null } });
    expect(store.values.has('pre-key-1')).toBe(false);
  });

  it('100 concurrent key writes through the cacheable store lose none', async () => {
    const store = new MemorySessionStore(5);
    const { state } = await loadSessionAuthState(store);
    const written = Array.from({ length: 100 }, (_, i) => ({ id: `4071234${String(i).padStart(4, '0')}.0`, value: randomBytes(64) }));
    await Promise.all(written.map(({ id, value }) => state.keys.set({ session: { [id]: value } } satisfies SignalDataSet)));

    const { state: reloaded } = await loadSessionAuthState(store);
    const read = await reloaded.keys.get('session', written.map(({ id }) => id));
    expect(Object.keys(read)).toHaveLength(100);
    for (const { id, value } of written) expect(bytesOf(read[id])).toBe(bytesOf(value));
  });

  it('overlapping creds saves over a store with random latency end with the latest creds', async () => {
    const store = new MemorySessionStore(5);
    const auth = await loadSessionAuthState(store);
    const saves = Array.from({ length: 20 }, (_, i) => {
      auth.state.creds.nextPreKeyId = i + 1;
      return auth.saveCreds();
    });
    await Promise.all(saves);
    expect(JSON.parse(store.values.get(CREDS_KEY)!, BufferJSON.reviver).nextPreKeyId).toBe(20);
  });
});
