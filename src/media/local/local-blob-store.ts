import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, readdir, rename, stat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { BlobStore, ByteRange, StoredBlob } from '../blob-store';
import { UploadMeter, isBlobAddress } from '../upload-meter';

/**
 * Blobs as files under MEDIA_PATH (sqlite deployments): `uploads/` holds uploads under way, `blobs/ab/cd/<sha256>`
 * the finished ones (fanned out by the hash's first two bytes, so no directory grows past a few thousand
 * entries). A blob appears under its hash only by a rename after fsync, so a crash leaves a whole blob or none.
 */
export class LocalBlobStore extends BlobStore {
  private readonly uploads: string;
  private readonly blobs: string;

  constructor(root: string) {
    super();
    this.uploads = join(root, 'uploads');
    this.blobs = join(root, 'blobs');
  }

  async put(source: Readable, maxBytes: number): Promise<StoredBlob> {
    await mkdir(this.uploads, { recursive: true });
    const upload = join(this.uploads, `${randomUUID()}.part`);
    const meter = new UploadMeter(maxBytes);
    try {
      // pipeline destroys every stream on failure, the source included: an oversized request stops being read.
      await pipeline(source, meter, createWriteStream(upload, { flags: 'wx' }));
      await fsync(upload);
      const blob = meter.stored();
      await this.keep(upload, this.pathOf(blob.sha256));
      return blob;
    } catch (error) {
      await unlink(upload).catch(() => undefined);
      throw error;
    }
  }

  async stat(sha256: string): Promise<number | null> {
    if (!isBlobAddress(sha256)) return null;
    try {
      return (await stat(this.pathOf(sha256))).size;
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async open(sha256: string, range?: ByteRange): Promise<Readable | null> {
    if (!isBlobAddress(sha256)) return null;
    try {
      // Opened before the stream is made, so a missing blob is null here rather than an error mid-answer.
      const file = await open(this.pathOf(sha256), 'r');
      return file.createReadStream(range ? { start: range.start, end: range.end } : {});
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async remove(sha256: string): Promise<void> {
    if (!isBlobAddress(sha256)) return;
    await unlink(this.pathOf(sha256)).catch((error) => {
      if (!isMissing(error)) throw error;
    });
  }

  async sweepAbandoned(before: number): Promise<number> {
    const names = await readdir(this.uploads).catch((error) => (isMissing(error) ? [] : Promise.reject(error)));
    let removed = 0;
    for (const name of names) {
      const upload = join(this.uploads, name);
      // mtime, not birth: an upload still streaming is written to all the time and so is never taken.
      const modified = await stat(upload).then((s) => s.mtimeMs, () => null);
      if (modified === null || modified >= before) continue;
      await unlink(upload).then(() => removed++, () => undefined);
    }
    return removed;
  }

  private pathOf(sha256: string): string {
    return join(this.blobs, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  /** Moves a finished upload to its blob's path, or drops it when that blob is already there (same bytes). */
  private async keep(upload: string, path: string): Promise<void> {
    const leaf = dirname(path);
    await mkdir(leaf, { recursive: true });
    if (await stat(path).then(() => true, () => false)) {
      await unlink(upload);
      return;
    }
    await rename(upload, path);
    // The rename is durable only once the directory holding the new entry is synced; the fan-out
    // directories may have just been made, so their parents are synced too.
    for (const dir of [leaf, dirname(leaf), this.blobs]) await fsync(dir);
  }
}

async function fsync(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}
