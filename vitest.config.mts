import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

// Nest's Vitest recipe: SWC keeps decorator metadata, which esbuild drops and Nest DI needs.
export default defineConfig({
  test: {
    include: ['test/**/*.spec.ts', 'src/**/*.spec.ts'],
    root: './',
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Two files at once on a 2-core machine: most tests wait on sockets, child processes and the emulator,
    // and the suite fits CI's 15 minutes only so (seen: 390 s instead of 669 s, same result).
    maxWorkers: 2,
    globalSetup: ['test/support/build.global.ts'],
    reporters: ['default', './scripts/tier-reporter.mjs'],
  },
  plugins: [swc.vite({ module: { type: 'es6' } })],
});
