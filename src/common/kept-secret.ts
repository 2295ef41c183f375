import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * A secret generated at first start and kept in a file (mode 0600) beside the sqlite database, so every
 * process on that database and every restart uses the same one. Several processes may start at once: the
 * first to write wins and the others read its file. `generated` says whether this call made it.
 */
export function keptSecret(path: string, bytes: number): { secret: string; generated: boolean } {
  if (existsSync(path)) return { secret: readFileSync(path, 'utf8').trim(), generated: false };
  mkdirSync(dirname(path), { recursive: true });
  const secret = randomBytes(bytes).toString('base64url');
  try {
    writeFileSync(path, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return { secret: readFileSync(path, 'utf8').trim(), generated: false };
    throw error;
  }
  chmodSync(path, 0o600);
  return { secret, generated: true };
}
