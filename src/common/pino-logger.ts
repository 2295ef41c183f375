import { AsyncLocalStorage } from 'node:async_hooks';
import { LoggerService } from '@nestjs/common';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';

/**
 * API keys, session material and message bodies never reach the logs: pino's redaction, by path, at
 * the top level and one level down (`{ err: { creds } }`, `{ body: { message } }`). pino's wildcards are
 * not recursive, so each shape we may log is listed; test/ops/redaction.spec.ts feeds each one through.
 * `key` (Baileys' message key: chat, fromMe, id) stays visible: operators trace a message by it.
 */
const SECRET_FIELDS = [
  // API keys, however a request or a config object reaches a log line.
  'apiKey',
  'apiKeys',
  'headers["x-api-key"]',
  'headers.authorization',
  'headers.cookie',
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
 * The logger of the request being handled, so Nest `Logger` lines written while it runs carry its `reqId`.
 * Work the request started (an outbox round, a socket) inherits the async context and outlives it: once
 * the response is sent, `open` is false and those lines go to the root logger, not a stale request's.
 */
const requestLogger = new AsyncLocalStorage<{ log: FastifyBaseLogger; open: boolean }>();

/**
 * Runs each request inside its own logger context (as @fastify/request-context does: `run` around the
 * rest of the hook chain) and answers its id as `x-request-id`, so a client's report finds its log lines.
 */
export function bindRequestLogs(fastify: FastifyInstance): void {
  // onResponse runs from the socket's 'finish', outside the request's async context: find the holder by request.
  const holders = new WeakMap<object, { log: FastifyBaseLogger; open: boolean }>();
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    const holder = { log: request.log, open: true };
    holders.set(request, holder);
    requestLogger.run(holder, done);
  });
  fastify.addHook('onResponse', (request, _reply, done) => {
    const holder = holders.get(request);
    if (holder) holder.open = false;
    done();
  });
}

function currentRequestLog(): FastifyBaseLogger | undefined {
  const current = requestLogger.getStore();
  return current?.open ? current.log : undefined;
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
    const pino = currentRequestLog() ?? this.pino;
    // Nest appends the Logger's context as the last parameter; an error's stack may come before it.
    const context = params.length > 0 && typeof params[params.length - 1] === 'string' ? (params.pop() as string) : undefined;
    const text = params.find((p): p is string => typeof p === 'string');
    if (message !== null && typeof message === 'object' && !(message instanceof Error)) {
      pino[level]({ ...(message as object), context }, text);
    } else if (message instanceof Error) {
      pino[level]({ err: message, context }, text ?? message.message);
    } else {
      pino[level]({ context, ...(text ? { stack: text } : {}) }, String(message));
    }
  }
}
