import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { App } from 'firebase-admin/app';
import { getStorage } from 'firebase-admin/storage';
import { BlobStore, ByteRange, StoredBlob } from '../blob-store';
import { UploadMeter, isBlobAddress } from '../upload-meter';

type Bucket = ReturnType<ReturnType<typeof getStorage>['bucket']>;
type StoredFile = ReturnType<Bucket['file']>;

/**
 * Blobs in a Cloud Storage bucket (Firestore deployments), through firebase-admin's client: an upload
 * streams to `uploads/{random}` and, once complete, moves to `blobs/{sha256}`, so a blob is never seen
 * half-written. Nothing is made public: objects keep the bucket's private default ACL, and the app
 * serves the bytes itself (signed links are ours, not Storage's).
 */
export class GcsBlobStore extends BlobStore {
  constructor(private readonly bucket: Bucket) {
    super();
  }

  /** On the Firebase app the Firestore store made: one set of credentials (or one emulator setting) for both. */
  static on(app: App, bucketName: string): GcsBlobStore {
    return new GcsBlobStore(getStorage(app).bucket(bucketName));
  }

  async put(source: Readable, maxBytes: number): Promise<StoredBlob> {
    const upload = this.bucket.file(`uploads/${randomUUID()}`);
    const meter = new UploadMeter(maxBytes);
    try {
      // One request, not a resumable session: a session left open by a crash would hold bytes we cannot list.
      await pipeline(source, meter, upload.createWriteStream({ resumable: false, contentType: 'application/octet-stream' }));
    } catch (error) {
      await upload.delete({ ignoreNotFound: true }).catch(() => undefined);
      throw error;
    }
    const blob = meter.stored();
    const kept = this.fileOf(blob.sha256);
    // Bytes already under this hash are the same bytes: the upload is dropped, not copied over them.
    if ((await kept.exists())[0]) await upload.delete({ ignoreNotFound: true });
    else await upload.move(kept);
    return blob;
  }

  async stat(sha256: string): Promise<number | null> {
    if (!isBlobAddress(sha256)) return null;
    try {
      const [metadata] = await this.fileOf(sha256).getMetadata();
      return Number(metadata.size);
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async open(sha256: string, range?: ByteRange): Promise<Readable | null> {
    // A read stream reports a missing object only once read, mid-answer: asked first instead.
    if ((await this.stat(sha256)) === null) return null;
    return this.fileOf(sha256).createReadStream(range ? { start: range.start, end: range.end } : {});
  }

  async remove(sha256: string): Promise<void> {
    if (!isBlobAddress(sha256)) return;
    await this.fileOf(sha256).delete({ ignoreNotFound: true });
  }

  async sweepAbandoned(before: number): Promise<number> {
    const [uploads] = await this.bucket.getFiles({ prefix: 'uploads/' });
    const abandoned = uploads.filter((upload) => Date.parse(String(upload.metadata.timeCreated)) < before);
    await Promise.all(abandoned.map((upload) => upload.delete({ ignoreNotFound: true })));
    return abandoned.length;
  }

  private fileOf(sha256: string): StoredFile {
    return this.bucket.file(`blobs/${sha256}`);
  }
}

function isMissing(error: unknown): boolean {
  return (error as { code?: unknown }).code === 404;
}
