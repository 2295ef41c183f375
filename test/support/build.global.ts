import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';

/**
 * Multi-process tests run the compiled app (`node dist/main.js`), as production does; build it once
 * per test run so they never run yesterday's code. Type errors are `npm run typecheck`'s to report
 * (`npm test` runs it first); tsc still emits, so the tests can run. The old output is removed first, so a
 * file that moved in src/ is not still found at its old place in dist/ (as on a clean clone in CI). The
 * operator's console is built too (Vite, into dist/console), as `npm run build` does: the app serves it.
 */
export default function setup(): void {
  rmSync('dist', { recursive: true, force: true });
  const build = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { encoding: 'utf8' });
  if (build.status !== 0) console.warn(`tsc reported type errors (the build was still emitted):\n${build.stdout.slice(0, 2000)}`);
  const page = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--config', 'console/vite.config.mts', '--logLevel', 'warn'], { encoding: 'utf8' });
  if (page.status !== 0) throw new Error(`the console did not build:\n${page.stderr.slice(0, 2000)}`);
}
