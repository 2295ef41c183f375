import { createHash } from 'node:crypto';
import { Transform, TransformCallback } from 'node:stream';
import { BlobTooLarge, StoredBlob } from './blob-store';

/**
 * Hashes and counts the bytes of an upload as they pass, and fails the pipeline with `BlobTooLarge` as
 * soon as they pass the limit (so an oversized upload is never streamed whole). Both adapters put their
 * bytes through one of these, so the address and the limit are computed the same way everywhere.
 */
export class UploadMeter extends Transform {
  private readonly hash = createHash('sha256');
  private size = 0;

  constructor(private readonly maxBytes: number) {
    super();
  }

  _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.size += chunk.length;
    if (this.size > this.maxBytes) return done(new BlobTooLarge(this.maxBytes));
    this.hash.update(chunk);
    done(null, chunk);
  }

  /** What was stored; call once the pipeline has finished. */
  stored(): StoredBlob {
    return { sha256: this.hash.digest('hex'), size: this.size };
  }
}

/** A blob's address is a hex SHA-256: anything else never names a blob (nor a path outside the store). */
export function isBlobAddress(sha256: string): boolean {
  return /^[0-9a-f]{64}$/.test(sha256);
}
