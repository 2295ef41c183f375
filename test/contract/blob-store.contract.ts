import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { BlobStore, BlobTooLarge } from '../../src/media/blob-store';

/** One blob store, and a look behind it at what it left (uploads under way or abandoned, finished blobs). */
export interface BlobStoreFixture {
  blobs: BlobStore;
  /** Leaves an upload begun now and never completed, as a process killed mid-upload does. */
  abandonUpload(): Promise<void>;
  uploadsLeft(): Promise<number>;
  blobsKept(): Promise<number>;
  close(): Promise<void>;
}

export type MakeBlobStoreFixture = () => Promise<BlobStoreFixture>;

const sha256Of = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Bytes in chunks, as a request body arrives; `failAfter` chunks, the source errors instead of going on. */
function sourceOf(bytes: Buffer, chunk = 64 * 1024, failAfter?: number): Readable & { destroyedEarly(): boolean } {
  let offset = 0;
  let sent = 0;
  const source = new Readable({
    read() {
      if (failAfter !== undefined && sent === failAfter) return this.destroy(new Error('the client went away'));
      if (offset >= bytes.length) return this.push(null);
      this.push(bytes.subarray(offset, offset + chunk));
      offset += chunk;
      sent++;
    },
  });
  return Object.assign(source, { destroyedEarly: () => source.destroyed && offset < bytes.length });
}

async function read(blobs: BlobStore, sha256: string, range?: { start: number; end: number }): Promise<Buffer | null> {
  const stream = await blobs.open(sha256, range);
  return stream ? buffer(stream) : null;
}

export function blobStoreContract(make: MakeBlobStoreFixture): void {
  describe('BlobStore', () => {
    it('keeps the bytes under their SHA-256 and answers their size and the bytes back', async () => {
      const store = await make();
      const bytes = randomBytes(300 * 1024 + 7);
      const stored = await store.blobs.put(sourceOf(bytes), bytes.length);
      expect(stored).toEqual({ sha256: sha256Of(bytes), size: bytes.length });
      expect(await store.blobs.stat(stored.sha256)).toBe(bytes.length);
      expect((await read(store.blobs, stored.sha256))!.equals(bytes)).toBe(true);
      expect(await store.uploadsLeft()).toBe(0);
      await store.close();
    });

    it('answers inclusive ranges: the first byte, a middle span, the tail', async () => {
      const store = await make();
      const bytes = randomBytes(10_000);
      const { sha256 } = await store.blobs.put(sourceOf(bytes, 1000), bytes.length);
      expect((await read(store.blobs, sha256, { start: 0, end: 0 }))!.equals(bytes.subarray(0, 1))).toBe(true);
      expect((await read(store.blobs, sha256, { start: 1234, end: 5678 }))!.equals(bytes.subarray(1234, 5679))).toBe(true);
      expect((await read(store.blobs, sha256, { start: 9000, end: 9999 }))!.equals(bytes.subarray(9000))).toBe(true);
      await store.close();
    });

    it('answers null for a blob it does not hold, and for what is no hash at all', async () => {
      const store = await make();
      const absent = sha256Of(Buffer.from('never stored'));
      expect(await store.blobs.stat(absent)).toBeNull();
      expect(await store.blobs.open(absent)).toBeNull();
      expect(await store.blobs.stat('../../etc/passwd')).toBeNull();
      expect(await store.blobs.open('../../etc/passwd')).toBeNull();
      await store.close();
    });

    it('keeps one blob when the same bytes are stored twice, at once or one after the other', async () => {
      const store = await make();
      const bytes = randomBytes(50_000);
      const [a, b] = await Promise.all([store.blobs.put(sourceOf(bytes), 1e6), store.blobs.put(sourceOf(bytes), 1e6)]);
      const c = await store.blobs.put(sourceOf(bytes), 1e6);
      expect(new Set([a.sha256, b.sha256, c.sha256])).toEqual(new Set([sha256Of(bytes)]));
      expect(await store.blobsKept()).toBe(1);
      expect(await store.uploadsLeft()).toBe(0);
      expect((await read(store.blobs, a.sha256))!.equals(bytes)).toBe(true);
      await store.close();
    });

    it('takes exactly the limit, and over it aborts: BlobTooLarge, the source destroyed, nothing left', async () => {
      const store = await make();
      const bytes = randomBytes(1024 * 1024);
      expect((await store.blobs.put(sourceOf(bytes.subarray(0, 4096)), 4096)).size).toBe(4096);
      const source = sourceOf(bytes, 16 * 1024);
      const refused = await store.blobs.put(source, 100_000).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(BlobTooLarge);
      expect((refused as BlobTooLarge).limitBytes).toBe(100_000);
      expect(source.destroyedEarly()).toBe(true);
      expect(await store.uploadsLeft()).toBe(0);
      expect(await store.blobsKept()).toBe(1);
      await store.close();
    });

    it('leaves nothing when the source errors mid-way, and answers that error', async () => {
      const store = await make();
      const bytes = randomBytes(512 * 1024);
      await expect(store.blobs.put(sourceOf(bytes, 16 * 1024, 5), bytes.length)).rejects.toThrow('the client went away');
      expect(await store.uploadsLeft()).toBe(0);
      expect(await store.blobsKept()).toBe(0);
      expect(await store.blobs.stat(sha256Of(bytes))).toBeNull();
      await store.close();
    });

    it('sweeps uploads begun before the cut, and neither later ones nor finished blobs', async () => {
      const store = await make();
      const { sha256 } = await store.blobs.put(sourceOf(Buffer.from('a kept blob')), 100);
      const beforeAbandon = Date.now() - 60_000;
      await store.abandonUpload();
      await store.abandonUpload();
      expect(await store.uploadsLeft()).toBe(2);
      expect(await store.blobs.sweepAbandoned(beforeAbandon)).toBe(0);
      expect(await store.uploadsLeft()).toBe(2);
      expect(await store.blobs.sweepAbandoned(Date.now() + 60_000)).toBe(2);
      expect(await store.uploadsLeft()).toBe(0);
      expect(await store.blobs.sweepAbandoned(Date.now() + 60_000)).toBe(0);
      expect(await store.blobs.stat(sha256)).toBe(11);
      await store.close();
    });

    it('removes a blob, and removing it again (or one never stored) is no error', async () => {
      const store = await make();
      const bytes = Buffer.from('to be removed');
      const { sha256 } = await store.blobs.put(sourceOf(bytes), 100);
      const other = await store.blobs.put(sourceOf(Buffer.from('to be kept')), 100);
      await store.blobs.remove(sha256);
      expect(await store.blobs.stat(sha256)).toBeNull();
      expect(await store.blobs.open(sha256)).toBeNull();
      await store.blobs.remove(sha256);
      await store.blobs.remove(sha256Of(Buffer.from('never stored')));
      expect(await store.blobs.stat(other.sha256)).toBe(10);
      expect(await store.blobsKept()).toBe(1);
      await store.close();
    });
  });
}
