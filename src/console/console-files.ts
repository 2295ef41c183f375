import { existsSync, readFileSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';

/**
 * Where the built page is: Vite writes it beside this module in dist/console (index.html and assets/).
 * Run from sources (the tests), this folder holds no page, and the last build's is served.
 */
const PAGE_DIR = existsSync(join(__dirname, 'index.html')) ? __dirname : resolve(__dirname, '../../dist/console');

/** The only names a request may ask for: Vite's hashed asset names, so no path ever leaves assets/. */
const ASSET_NAME = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*\.(js|css|svg|png|ico|woff2)$/;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

export interface ConsoleFile {
  body: Buffer;
  type: string;
}

/** The page's files, read once each: they change only with a build, which restarts the app. */
export class ConsoleFiles {
  private readonly read = new Map<string, ConsoleFile | undefined>();

  page(): ConsoleFile | undefined {
    return this.file(join(PAGE_DIR, 'index.html'));
  }

  asset(name: string): ConsoleFile | undefined {
    return ASSET_NAME.test(name) ? this.file(join(PAGE_DIR, 'assets', name)) : undefined;
  }

  private file(path: string): ConsoleFile | undefined {
    if (!this.read.has(path)) this.read.set(path, existsSync(path) ? { body: readFileSync(path), type: TYPES[extname(path)] ?? 'application/octet-stream' } : undefined);
    return this.read.get(path);
  }
}
