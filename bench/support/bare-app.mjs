// The baseline for bench/send.mjs: a minimal Nest app on Fastify with one POST route, validated by the
// app's own SendMessageDto (loaded from dist, the same compiled class the app runs) through the same
// ValidationPipe options as createApp, answering 202 without touching a store, a guard or a logger.
// Run as its own process: PORT=... node bench/support/bare-app.mjs
//
// Plain JavaScript, so decorators are applied the way tsc emits them (Reflect.decorate); the only
// metadata Nest needs here is the parameter type the ValidationPipe validates against.
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { Body, Controller, HttpCode, Module, Post, ValidationPipe } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');
const { FastifyAdapter } = require('@nestjs/platform-fastify');
const { MAX_TEXT_LENGTH, SendMessageDto } = require('../../dist/messaging/dto/send-message.dto.js');
const { validationFailure } = require('../../dist/common/http-errors.js');

/** As BODY_LIMIT_BYTES in src/app.factory.ts, which is not imported: that would load the whole app here. */
const BODY_LIMIT_BYTES = MAX_TEXT_LENGTH * 4 + 16 * 1024;

/** A copy of the options in src/app.factory.ts (createApp); keep the two equal. */
export const VALIDATION_OPTIONS = {
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  stopAtFirstError: false,
  exceptionFactory: validationFailure,
};

class BareSendController {
  send(body) {
    // The same answer shape as the app's, so both runs move about the same bytes.
    return {
      requestId: body.requestId,
      messageId: randomUUID().replaceAll('-', ''),
      threadId: `${body.accountId}__${body.to}@s.whatsapp.net`,
      waMessageId: '3EB0000000000000000000',
      status: 'queued',
    };
  }
}
Reflect.decorate(
  [
    Post('send-message'),
    HttpCode(202),
    (target, key) => Body()(target, key, 0),
    Reflect.metadata('design:paramtypes', [SendMessageDto]),
  ],
  BareSendController.prototype,
  'send',
  Object.getOwnPropertyDescriptor(BareSendController.prototype, 'send'),
);
Reflect.decorate([Controller('api/whatsapp')], BareSendController);

class BareModule {}
Reflect.decorate([Module({ controllers: [BareSendController] })], BareModule);

const app = await NestFactory.create(BareModule, new FastifyAdapter({ bodyLimit: BODY_LIMIT_BYTES }), { logger: ['error', 'warn'] });
app.useGlobalPipes(new ValidationPipe(VALIDATION_OPTIONS));
app.enableShutdownHooks();
await app.listen({ port: Number(process.env.PORT ?? 8081), host: process.env.HOST ?? '127.0.0.1' });
