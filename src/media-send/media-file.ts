import { Readable } from 'node:stream';

/** A file on its way in, unread: from a multipart part, a base64 body or a fetched URL. */
export interface IncomingFile {
  stream: Readable;
  /** The request's field that carries it, named in every error about it. */
  field: string;
  /** What the sender says the bytes are (the part's Content-Type, the base64's mimetype, the URL's answer). */
  declaredMimetype: string | null;
  /** The part's file name, or the URL's last segment. */
  fileName: string | null;
  /** For `{url}`: the URL, which the request hash covers instead of the bytes. */
  url?: string;
  /** Called once the bytes are stored, or failed to be (a fetched URL's connection is let go). */
  release?(): void;
}

/** A file that is in the blob store, durable, with what it was found to be. */
export interface StoredFile {
  sha256: string;
  size: number;
  mimetype: string;
  fileName: string | null;
  url?: string;
}
