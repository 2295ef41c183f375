import { LoggerService } from '@nestjs/common';
import type { FastifyBaseLogger } from 'fastify';

/** API keys, session material and message bodies never reach the logs (pino's redaction, not string filters). */
export const REDACTED_PATHS = [
  'req.headers["x-api-key"]',
  'req.headers.authorization',
  'req.headers.cookie',
  'apiKey',
  'key',
  'creds',
  'keys',
  'session',
  'text',
  'message.text',
  'body.message',
  'body.text',
  '*.text',
];

/**
 * Routes Nest's `Logger` into Fastify's pino instance, so the whole process writes one structured log.
 * `logger.log({ accountId }, 'connected')` becomes `{"accountId":…, "context":…, "msg":"connected"}`.
 */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly pino: FastifyBaseLogger) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  private write(level: 'info' | 'error' | 'warn' | 'debug' | 'trace' | 'fatal', message: unknown, params: unknown[]): void {
    // Nest appends the Logger's context as the last parameter; an error's stack may come before it.
    const context = params.length > 0 && typeof params[params.length - 1] === 'string' ? (params.pop() as string) : undefined;
    const text = params.find((p): p is string => typeof p === 'string');
    if (message !== null && typeof message === 'object' && !(message instanceof Error)) {
      this.pino[level]({ ...(message as object), context }, text);
    } else if (message instanceof Error) {
      this.pino[level]({ err: message, context }, text ?? message.message);
    } else {
      this.pino[level]({ context, ...(text ? { stack: text } : {}) }, String(message));
    }
  }
}
