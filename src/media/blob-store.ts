import { Readable } from 'node:stream';

/** What a finished upload is: its address and length. */
export interface StoredBlob {
  /** Hex SHA-256 of the bytes. */
  sha256: string;
  size: number;
}

/** An inclusive byte range, as one HTTP `Range` asks for it. */
export interface ByteRange {
  start: number;
  end: number;
}

/** The upload passed its limit: it was aborted and left nothing behind. */
export class BlobTooLarge extends Error {
  constructor(readonly limitBytes: number) {
    super(`the file is larger than ${limitBytes} bytes`);
  }
}

/**
 * The private blob store (CONTRACT "Media messages"): content-addressed by SHA-256, never public. A blob is
 * written under a temporary name while it streams in and becomes visible under its hash only once complete
 * and durable, so a crash mid-upload leaves no blob, only a temporary one that `sweepAbandoned` removes.
 * Adapters: local files under MEDIA_PATH (sqlite) and Cloud Storage through firebase-admin (Firestore).
 */
export abstract class BlobStore {
  /**
   * Streams `source` in, hashing as it goes, and keeps it under its hash once complete. Over `maxBytes` the
   * upload is aborted (the source destroyed) and `BlobTooLarge` thrown. Storing bytes already there keeps one copy.
   */
  abstract put(source: Readable, maxBytes: number): Promise<StoredBlob>;

  /** The blob's size, or null when there is none under that hash. */
  abstract stat(sha256: string): Promise<number | null>;

  /** The blob's bytes (the whole blob, or one inclusive range of it), or null when there is none. */
  abstract open(sha256: string, range?: ByteRange): Promise<Readable | null>;

  /** Removes the blob; removing one that is not there is no error. */
  abstract remove(sha256: string): Promise<void>;

  /** Removes uploads begun before `before` that never completed; answers how many. */
  abstract sweepAbandoned(before: number): Promise<number>;
}
