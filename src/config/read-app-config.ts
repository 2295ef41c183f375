import { ConfigModule as NestConfigModule } from '@nestjs/config';
import { AppConfig, loadAppConfig } from './app-config';

/**
 * Loads `.env` (when present; real environment variables win) through @nestjs/config, then validates
 * the environment. Read before the app is built because the HTTP adapter needs the port and log level.
 */
export async function readAppConfig(overrides: Partial<AppConfig> = {}): Promise<AppConfig> {
  await NestConfigModule.forRoot({ envFilePath: '.env', ignoreEnvFile: false });
  return loadAppConfig(process.env, overrides);
}
