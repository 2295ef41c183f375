import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

/**
 * Files that start several server processes (or the emulator with three) and load both cores: they run
 * after the rest, one at a time, so two of them never starve each other's leases.
 */
const ALONE = ['test/multiprocess/**/*.spec.ts', 'test/e2e/four-processors.spec.ts'];

// Nest's Vitest recipe: SWC keeps decorator metadata, which esbuild drops and Nest DI needs.
export default defineConfig({
  test: {
    root: './',
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Two files at once on a 2-core machine: most tests wait on sockets, child processes and the emulator,
    // and the suite fits CI's 15 minutes only so (seen: 390 s instead of 669 s, same result).
    maxWorkers: 2,
    globalSetup: ['test/support/build.global.ts'],
    reporters: ['default', './scripts/tier-reporter.mjs'],
    projects: [
      { extends: true, test: { name: 'shared', include: ['test/**/*.spec.ts', 'src/**/*.spec.ts'], exclude: ALONE, sequence: { groupOrder: 0 } } },
      { extends: true, test: { name: 'alone', include: ALONE, fileParallelism: false, sequence: { groupOrder: 1 } } },
    ],
  },
  plugins: [swc.vite({ module: { type: 'es6' } })],
});
