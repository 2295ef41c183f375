import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { BlobStore, BlobTooLarge, ByteRange, StoredBlob } from '../../src/media/blob-store';

/** A BlobStore in memory, for tests that need blobs but not the disk. */
export class MemoryBlobStore extends BlobStore {
  readonly blobs = new Map<string, Buffer>();

  async put(source: Readable, maxBytes: number): Promise<StoredBlob> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of source as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > maxBytes) {
        source.destroy();
        throw new BlobTooLarge(maxBytes);
      }
      chunks.push(chunk);
    }
    const bytes = Buffer.concat(chunks);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    this.blobs.set(sha256, bytes);
    return { sha256, size };
  }

  async stat(sha256: string): Promise<number | null> {
    return this.blobs.get(sha256)?.length ?? null;
  }

  async open(sha256: string, range?: ByteRange): Promise<Readable | null> {
    const bytes = this.blobs.get(sha256);
    if (!bytes) return null;
    return Readable.from([range ? bytes.subarray(range.start, range.end + 1) : bytes]);
  }

  async remove(sha256: string): Promise<void> {
    this.blobs.delete(sha256);
  }

  async sweepAbandoned(): Promise<number> {
    return 0;
  }
}
