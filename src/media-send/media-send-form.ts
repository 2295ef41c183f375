import { FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import { ClassConstructor, plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { Caller, mayReach } from '../access/caller';
import { AccountNotFound, InvalidInput, MediaTooLarge } from '../common/errors';
import { validationFailure } from '../common/http-errors';
import { reconcileRequestId } from '../messaging/send.service';
import { MAX_BASE64_BYTES, MediaSourceDto, SendMediaFieldsDto } from './dto/send-media.dto';
import { IncomingFile } from './media-file';
import { MediaSendCommand } from './send-media.service';

/** The request's fields, validated as the global pipe validates a body (the same 400 naming each field). */
export function validated<T extends object>(dto: ClassConstructor<T>, plain: unknown): T {
  const instance = plainToInstance(dto, plain ?? {});
  const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true, stopAtFirstError: false });
  if (errors.length > 0) throw validationFailure(errors);
  return instance;
}

/**
 * The command the fields make. The access guard could not read a multipart form's account (it runs before
 * the body is read), so the caller's reach is checked here, before any byte of the file is.
 */
export function commandOf(fields: SendMediaFieldsDto, idempotencyKey: string | undefined, caller: Caller): MediaSendCommand {
  if (!mayReach(caller, fields.accountId)) throw new AccountNotFound(fields.accountId);
  return {
    accountId: fields.accountId,
    to: fields.to,
    type: fields.type,
    caption: fields.caption ?? null,
    fileName: fields.fileName ?? null,
    requestId: reconcileRequestId(fields.requestId, idempotencyKey),
  };
}

/** `{base64, mimetype}`: decoded whole (it is small: MAX_BASE64_BYTES), then read like any file. */
export function base64File(source: MediaSourceDto): IncomingFile {
  const base64 = source.base64!;
  if (!source.mimetype) throw new InvalidInput('media.mimetype', 'is required with media.base64');
  const decodedBytes = Math.floor((base64.length * 3) / 4) - (base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0);
  if (decodedBytes > MAX_BASE64_BYTES) throw new MediaTooLarge('media.base64', 'the base64 limit (send larger files as multipart or {url})', MAX_BASE64_BYTES / 1024 / 1024);
  return { stream: Readable.from([Buffer.from(base64, 'base64')]), field: 'media.base64', declaredMimetype: source.mimetype, fileName: null };
}

export type MultipartSteps = {
  /** The fields are all in: validate them (a refusal ends the form before the file is read). */
  fields(fields: Record<string, string>): void;
  /** The file part: store it (it must be read to its end before the form goes on). */
  file(file: IncomingFile): Promise<void>;
};

/**
 * A multipart send: fields first, then one file part, then nothing. The form is read as it arrives, so
 * a field after the file could only be seen once the file was stored; it is refused, naming it, before
 * the send is accepted.
 */
export async function readMultipartForm(request: FastifyRequest, largestFileBytes: number, steps: MultipartSteps): Promise<void> {
  const fields: Record<string, string> = {};
  let stored = false;
  // Busboy's own limits only bound the form; each file's type limit is the blob store's (one byte above, so that one fires first).
  const parts = request.parts({ limits: { fields: 16, fieldSize: 64 * 1024, files: 2, parts: 20, fileSize: largestFileBytes + 1 } });
  for await (const part of parts) {
    if (stored) {
      throw new InvalidInput(part.fieldname, part.type === 'file' ? 'a second file; send one file per request' : 'came after the file; send every field before the file part');
    }
    if (part.type === 'field') {
      if (part.fieldname in fields) throw new InvalidInput(part.fieldname, 'is given twice');
      fields[part.fieldname] = String(part.value);
      continue;
    }
    steps.fields(fields);
    await steps.file({ stream: part.file, field: 'file', declaredMimetype: part.mimetype || null, fileName: part.filename || null });
    stored = true;
  }
  if (!stored) throw new InvalidInput('file', 'is missing; send one file part after the fields');
}
