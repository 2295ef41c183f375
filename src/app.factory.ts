import fastifyMultipart from '@fastify/multipart';
import { ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppModule } from './app.module';
import { acceptEmptyBodies } from './common/empty-body';
import { admitWhileStoreHasRoom } from './common/store-admission';
import { validationFailure } from './common/http-errors';
import { LOG_REDACTION, PinoNestLogger, bindRequestLogs } from './common/pino-logger';
import { AppConfig } from './config/app-config';
import { MAX_TEXT_LENGTH } from './messaging/dto/send-message.dto';
import { MAX_BASE64_BYTES } from './media-send/dto/send-media.dto';
import { SEND_MEDIA_PATH } from './media-send/send-media.controller';
import { MEDIA_ROUTE_PATHS } from './media-serve/media.controller';
import { markMediaAnswer } from './media-serve/media-reply';
import { Resolver } from './outbound/outbound-client';
import { limitEachApiKey } from './rate-limit/api-key-rate-limit';
import { StoreConnections } from './store/store.module';

/** Room for the longest text in 4-byte UTF-8 plus the other fields; anything larger is refused unread. */
export const BODY_LIMIT_BYTES = MAX_TEXT_LENGTH * 4 + 16 * 1024;
/** send-media's JSON form carries up to MAX_BASE64_BYTES as base64 (4 characters per 3 bytes); only that route takes this much. */
export const MEDIA_JSON_BODY_LIMIT_BYTES = Math.ceil(MAX_BASE64_BYTES / 3) * 4 + 16 * 1024;

export interface AppOptions {
  /** Where pino writes; tests pass a stream to read the logs back. */
  logStream?: NodeJS.WritableStream;
  /** Where outbound requests (webhooks) look names up; tests make a name resolve to an address of their choice. */
  outboundResolver?: Resolver;
}

/** Builds the whole application for a configuration: main.ts and the end-to-end tests use this one path. */
export async function createApp(config: AppConfig, options: AppOptions = {}): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    logger: { level: config.logLevel, redact: LOG_REDACTION, ...(options.logStream ? { stream: options.logStream } : {}) },
    genReqId: () => crypto.randomUUID(),
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.register(config, options.outboundResolver), adapter, { bufferLogs: true });
  const fastify = app.getHttpAdapter().getInstance();
  app.useLogger(new PinoNestLogger(fastify.log));
  bindRequestLogs(fastify);
  acceptEmptyBodies(fastify);
  // Multipart bodies are not parsed up front: send-media streams the form's file part into the blob store.
  await fastify.register(fastifyMultipart);
  fastify.addHook('onRoute', (route) => {
    if (route.url === SEND_MEDIA_PATH) route.bodyLimit = MEDIA_JSON_BODY_LIMIT_BYTES;
    // Before the guard: a refusal from a media route carries the headers too.
    if (MEDIA_ROUTE_PATHS.includes(route.url)) route.onRequest = [...[route.onRequest ?? []].flat(), markMediaAnswer];
  });
  if (config.rateLimitPerMinute > 0) await limitEachApiKey(app, config.rateLimitPerMinute);
  // Only the sqlite store queues calls in this process; firebase-admin holds its own requests.
  const sqlite = app.get(StoreConnections).sqlite;
  if (sqlite) admitWhileStoreHasRoom(fastify, sqlite);

  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      stopAtFirstError: false,
      exceptionFactory: validationFailure,
    }),
  );
  setUpSwagger(app);
  return app;
}

function setUpSwagger(app: NestFastifyApplication): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('WhatsApp accounts API')
      .setDescription(
        'Send messages through many WhatsApp accounts; read their threads. Authorise with an API key first: an admin key, or an account key ' +
          "(`wak_…`) that reaches its accounts with its scopes; each operation's `x-scope` names the one it needs.",
      )
      .addApiKey({ type: 'apiKey', in: 'header', name: 'x-api-key' }, 'api-key')
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', swaggerOptions: { persistAuthorization: true } });
}
