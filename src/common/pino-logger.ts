import { LoggerService } from '@nestjs/common';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';

/**
 * API keys, webhook secrets, session material and message bodies never reach the logs: pino's redaction, by path, at
 * the top level and one level down (`{ err: { creds } }`, `{ body: { message } }`). pino's wildcards are
 * not recursive, so each shape we may log is listed; test/medium/ops/redaction.spec.ts feeds each one through.
 * `key` (Baileys' message key: chat, fromMe, id) stays visible: operators trace a message by it.
 */
const SECRET_FIELDS = [
  // API keys, however a request or a config object reaches a log line.
  'apiKey',
  'apiKeys',
  'headers["x-api-key"]',
  'headers.authorization',
  'headers.cookie',
  // Webhook signing secrets: an endpoint's, and WEBHOOK_SECRET in the config.
  'secret',
  'secrets',
  'envWebhook',
  // Baileys session: the creds object, the signal key store, the QR (it carries the adv secret), pairing codes.
  'creds',
  'keys',
  'session',
  'authState',
  'qr',
  'pairingCode',
  'noiseKey',
  'signedIdentityKey',
  'signedPreKey',
  'advSecretKey',
  'privKey',
  'private',
  // Message bodies: ours (`text`, the send body's `message`, thread summaries) and Baileys' message content.
  'text',
  'lastMessageText',
  'body.message',
  'conversation',
  'extendedTextMessage',
  'messages[*].message',
];

export const REDACTED_PATHS = [...SECRET_FIELDS, ...SECRET_FIELDS.map((path) => `*.${path}`)];

export const LOG_REDACTION = { paths: REDACTED_PATHS, censor: '[redacted]' };

/**
 * Answers each request's id as `x-request-id`, so a client's report finds its `incoming request` /
 * `request completed` lines. Lines the app writes while handling a request are not tagged with it: that
 * took an AsyncLocalStorage, whose promise hooks (Node 20) cost every request ~14 % of the send path's
 * throughput (bench:send, store stubbed: 5,390 -> 6,170 req/s). They carry the domain ids instead.
 */
export function bindRequestLogs(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    done();
  });
}

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
