import { execFileSync } from 'node:child_process';

/**
 * Multi-process tests run the compiled app (`node dist/main.js`), as production does; build it once
 * per test run so they never run yesterday's code.
 */
export default function setup(): void {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
}
