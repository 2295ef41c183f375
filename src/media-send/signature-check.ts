import { Transform, TransformCallback } from 'node:stream';
import { InvalidInput } from '../common/errors';
import { MediaType } from '../media/media';
import { SIGNATURE_BYTES, signatureVerdict } from './file-signature';

/**
 * Holds back a file's first bytes until they show its type, then lets everything through; a file that
 * is not what its type says fails the upload there (InvalidInput naming the field), so the blob store
 * drops what it had begun and nothing is kept. `mimetype` is known once the bytes have passed.
 */
export class SignatureCheck extends Transform {
  mimetype: string | null = null;
  private head: Buffer[] = [];
  private headLength = 0;

  constructor(
    private readonly type: MediaType,
    private readonly field: string,
    private readonly declaredMimetype: string | null,
  ) {
    super();
  }

  _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    if (this.mimetype !== null) return done(null, chunk);
    this.head.push(chunk);
    this.headLength += chunk.length;
    if (this.headLength < SIGNATURE_BYTES) return done();
    this.judge(done);
  }

  _flush(done: TransformCallback): void {
    if (this.mimetype !== null) return done();
    this.judge(done);
  }

  private judge(done: TransformCallback): void {
    const head = Buffer.concat(this.head);
    this.head = [];
    const verdict = signatureVerdict(this.type, head, this.declaredMimetype);
    if ('refused' in verdict) return done(new InvalidInput(this.field, verdict.refused));
    this.mimetype = verdict.mimetype;
    done(null, head);
  }
}
