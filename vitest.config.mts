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
    globalSetup: ['test/support/build.global.ts'],
    reporters: ['default', './scripts/tier-reporter.mjs'],
  },
  plugins: [swc.vite({ module: { type: 'es6' } })],
});
