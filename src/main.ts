import 'reflect-metadata';
import { createApp } from './app.factory';
import { ConfigError } from './config/app-config';
import { readAppConfig } from './config/config.module';

async function bootstrap(): Promise<void> {
  const config = await readAppConfig();
  const app = await createApp(config);
  await app.listen({ port: config.port, host: config.host });
  app.getHttpAdapter().getInstance().log.info({ workerId: config.workerId, store: config.store, provider: config.provider, url: await app.getUrl() }, 'listening; API docs at /docs');
}

bootstrap().catch((error: unknown) => {
  // A wrong configuration is the operator's to fix: say which variable, without a stack trace.
  if (error instanceof ConfigError) console.error(error.message);
  else console.error(error);
  process.exit(1);
});
