import 'reflect-metadata';
import { constants } from 'node:os';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from './app.factory';
import { ConfigError } from './config/app-config';
import { readAppConfig } from './config/read-app-config';

const SHUTDOWN_SIGNALS = ['SIGTERM', 'SIGINT'] as const;

async function bootstrap(): Promise<void> {
  const config = await readAppConfig();
  const app = await createApp(config);
  // Close the HTTP server, then the outbox, the account leases and sockets, the store last; then exit 0.
  // Without useProcessExit Nest re-raises the signal after shutdown, and a clean stop would exit 143.
  app.enableShutdownHooks([...SHUTDOWN_SIGNALS], { useProcessExit: true });
  watchShutdownSignals(app);
  await app.listen({ port: config.port, host: config.host });
  app.getHttpAdapter().getInstance().log.info({ workerId: config.workerId, store: config.store, provider: config.provider, url: await app.getUrl() }, 'listening; API docs at /docs');
}

/**
 * Beside Nest's own listener (which runs the shutdown): from the first signal every answer closes its
 * connection, since a keep-alive connection that was busy when the listener closed would otherwise hold
 * the shutdown for Fastify's 72 s keepAliveTimeout (measured: 70 s). The second signal exits at once:
 * the operator's way out of a shutdown that hangs on a send that does not answer.
 */
function watchShutdownSignals(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance();
  let received = 0;
  fastify.addHook('onSend', (_request, reply, _payload, done) => {
    if (received > 0) void reply.header('connection', 'close');
    done();
  });
  for (const signal of SHUTDOWN_SIGNALS) {
    process.on(signal, () => {
      if (++received === 1) {
        fastify.log.info({ signal }, 'shutting down: no new requests, in-flight sends finish or go back to the queue, account leases released; a second signal exits at once');
        return;
      }
      fastify.log.warn({ signal }, 'second signal: exiting now; unfinished claims and leases expire by themselves');
      process.exit(128 + constants.signals[signal]);
    });
  }
}

bootstrap().catch((error: unknown) => {
  // A wrong configuration is the operator's to fix: say which variable, without a stack trace.
  if (error instanceof ConfigError) console.error(error.message);
  else console.error(error);
  process.exit(1);
});
