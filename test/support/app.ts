import { mkdtempSync, rmSync } from 'node:fs';
import { emulatorDeadline } from './server-process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppOptions, createApp } from '../../src/app.factory';
import { loadAppConfig } from '../../src/config/app-config';
import { SqliteConnection, openSqlite } from '../../src/store/sqlite/sqlite-database';

export const TEST_API_KEY = 'test-key-0123456789abcdef';

export interface TableRoute {
  method: string;
  url: string;
  config: Record<string, unknown>;
}

export interface TestApp {
  app: NestFastifyApplication;
  dir: string;
  /** Fastify's own route table, as its `onRoute` hook saw each route added (HEAD twins left out). */
  routes: TableRoute[];
  /** Every log line the app wrote, parsed. */
  logs: Array<Record<string, unknown>>;
  /** A connection of the test's own to the app's sqlite file (the app's is in its store worker). */
  db(): SqliteConnection;
  request(method: string, url: string, options?: { body?: unknown; headers?: Record<string, string>; rawBody?: string }): Promise<{ status: number; body: any; headers: Record<string, unknown> }>;
  close(): Promise<void>;
}

/** The real application on a fresh sqlite file, driven through Fastify's inject (no port needed). */
export async function startTestApp(
  env: Record<string, string> = {},
  dir = mkdtempSync(join(tmpdir(), 'wa-app-')),
  options: Omit<AppOptions, 'logStream'> = {},
): Promise<TestApp> {
  const config = loadAppConfig({ SQLITE_PATH: join(dir, 'whatsapp.db'), API_KEYS: TEST_API_KEY, WA_PROVIDER: 'simulator', LOG_LEVEL: 'info', ...emulatorDeadline(env), ...env });
  const logs: Array<Record<string, unknown>> = [];
  const logStream = new PassThrough();
  logStream.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) logs.push(JSON.parse(line));
  });
  const app = await createApp(config, { ...options, logStream });
  const routes: TableRoute[] = [];
  // Before init, which adds Nest's routes.
  app.getHttpAdapter().getInstance().addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) if (method !== 'HEAD') routes.push({ method, url: route.url, config: (route.config ?? {}) as Record<string, unknown> });
  });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  let db: SqliteConnection | undefined;
  return {
    app,
    dir,
    routes,
    logs,
    db: () => (db ??= openSqlite(config.sqlitePath)),
    async request(method, url, options = {}) {
      const headers: Record<string, string> = { 'x-api-key': TEST_API_KEY, ...options.headers };
      const payload = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
      if (payload !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
      const response = await app.inject({ method: method as 'GET', url, headers, payload });
      let body: unknown = response.body;
      if (String(response.headers['content-type'] ?? '').includes('json')) body = response.json();
      return { status: response.statusCode, body, headers: response.headers };
    },
    async close() {
      db?.close();
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
