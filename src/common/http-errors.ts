import { ArgumentsHost, BadRequestException, Catch, ExceptionFilter, HttpException, HttpStatus, Logger, ValidationError } from '@nestjs/common';
import { FastifyReply } from 'fastify';
import { DomainError, StoreNoAnswer } from './errors';

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  /** On a 503 whose write may still commit: the key to retry with. */
  requestId?: string;
}

/** class-validator's findings as one message that names each field and its reason. */
export function validationFailure(errors: ValidationError[]): BadRequestException {
  const reasons = flatten(errors).map(({ field, reasons }) => `${field}: ${reasons.join(', ')}`);
  return new BadRequestException(reasons.join('; '));
}

function flatten(errors: ValidationError[], prefix = ''): Array<{ field: string; reasons: string[] }> {
  return errors.flatMap((error) => {
    const field = `${prefix}${error.property}`;
    const own = error.constraints ? [{ field, reasons: Object.values(error.constraints).map((r) => stripField(r, error.property)) }] : [];
    return [...own, ...flatten(error.children ?? [], `${field}.`)];
  });
}

/** class-validator starts default messages with the property name; ours says it once, before the colon. */
function stripField(reason: string, property: string): string {
  return reason.startsWith(`${property} `) ? reason.slice(property.length + 1) : reason;
}

/** Fastify's own errors (body parsing, size) reach this filter too; say which part of the request is wrong. */
const FASTIFY_ERRORS: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'body: is not valid JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'body: is empty; send a JSON object',
  FST_ERR_CTP_BODY_TOO_LARGE: 'body: is larger than the size limit',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'Content-Type: must be application/json',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'Content-Length: does not match the body',
};

/** The one place that turns errors into `{statusCode, error, message}` answers. */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpErrorFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const body = replyWithError(host.switchToHttp().getResponse<FastifyReply>(), exception);
    // A 503 is the store's state, not a fault of this request: one short line each, however many there are.
    if (body.statusCode === HttpStatus.SERVICE_UNAVAILABLE) this.logger.warn({ reason: body.message }, 'request answered 503');
    else if (body.statusCode >= 500) this.logger.error({ err: exception }, 'request failed');
  }
}

/** Answers with the error's body, and `Retry-After` (seconds) on a 503: each of ours is worth retrying soon. */
export function replyWithError(reply: FastifyReply, exception: unknown): ErrorBody {
  const body = toErrorBody(exception);
  if (body.statusCode === HttpStatus.SERVICE_UNAVAILABLE) {
    void reply.header('retry-after', String((exception as { retryAfterSeconds?: number })?.retryAfterSeconds ?? 1));
  }
  void reply.status(body.statusCode).send(body);
  return body;
}

/** Any error, ours or Fastify's (thrown before Nest sees the request), as the answer body. */
export function toErrorBody(exception: unknown): ErrorBody {
  // Nest wraps Fastify's body-parsing errors in an HttpException whose cause is the original.
  const fastifyCode = (exception as { cause?: { code?: string } })?.cause?.code ?? (exception as { code?: string })?.code;
  if (exception instanceof HttpException && fastifyCode && FASTIFY_ERRORS[fastifyCode]) {
    return errorBody(exception.getStatus(), FASTIFY_ERRORS[fastifyCode]);
  }
  if (exception instanceof StoreNoAnswer && exception.requestId) return { ...errorBody(503, exception.message), requestId: exception.requestId };
  if (exception instanceof DomainError) return errorBody(exception.httpStatus, exception.message);
  if (exception instanceof HttpException) {
    const response = exception.getResponse();
    const message = typeof response === 'string' ? response : (response as { message?: unknown }).message;
    return errorBody(exception.getStatus(), Array.isArray(message) ? message.join('; ') : String(message ?? exception.message));
  }
  const fastify = exception as { statusCode?: number; message: string };
  if (typeof fastify?.statusCode === 'number' && fastify.statusCode >= 400 && fastify.statusCode < 500) {
    return errorBody(fastify.statusCode, fastify.message);
  }
  // SQLite's busy timeout ran out, or Firestore aborted a contended transaction (gRPC ABORTED = 10):
  // nothing was written, and a retry with the same idempotency key is safe.
  const code = (exception as { code?: string | number })?.code;
  if (code === 'SQLITE_BUSY' || code === 10) {
    return errorBody(HttpStatus.SERVICE_UNAVAILABLE, 'store: busy with other writers; retry with the same key');
  }
  // The transaction that hit a full disk (or max_page_count) was rolled back whole: nothing was written.
  if (code === 'SQLITE_FULL') {
    return errorBody(HttpStatus.SERVICE_UNAVAILABLE, 'store: the sqlite database is full; nothing was written, retry with the same key once it has room');
  }
  // gRPC UNAVAILABLE (14): Firestore could not be reached, the call was not made.
  if (code === 14) return errorBody(HttpStatus.SERVICE_UNAVAILABLE, 'store: Firestore is unreachable; retry with the same key');
  return errorBody(HttpStatus.INTERNAL_SERVER_ERROR, 'internal error');
}

export function errorBody(statusCode: number, message: string): ErrorBody {
  const error = (HttpStatus[statusCode] ?? 'Error')
    .toLowerCase()
    .split('_')
    .map((word) => word[0].toUpperCase() + word.slice(1))
    .join(' ');
  return { statusCode, error, message };
}
