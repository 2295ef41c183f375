// The app is measured from dist/, so dist/ must be the compiled src/.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** Runs `npm run build` when a .ts file under src/ is newer than dist/main.js (or always with `force`). */
export function ensureFreshBuild(root, { force = false } = {}) {
  const built = path.join(root, 'dist/main.js');
  const stale = force || !existsSync(built) || newestMtime(path.join(root, 'src')) > statSync(built).mtimeMs;
  if (!stale) return { built: false };
  console.log('dist/ is older than src/: npm run build');
  try {
    execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
    return { built: true, typeErrors: false };
  } catch {
    // tsc emits despite type errors (the build sets no noEmitOnError), so dist/ is still the compiled src/.
    if (!existsSync(built)) throw new Error('npm run build produced no dist/main.js');
    console.warn('warning: npm run build reported type errors (above); tsc emitted dist/ anyway, measuring that\n');
    return { built: true, typeErrors: true };
  }
}

function newestMtime(directory) {
  let newest = 0;
  for (const entry of readdirSync(directory, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path.join(entry.parentPath ?? entry.path, entry.name)).mtimeMs);
  }
  return newest;
}

/** Which code was measured: the commit, and whether src/ had uncommitted changes on top of it. */
export function describeSource(root) {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src'], { cwd: root, encoding: 'utf8' }).trim() !== '';
    return `commit ${commit}${dirty ? ' with uncommitted changes in src/' : ''}`;
  } catch {
    return 'not a git checkout';
  }
}
