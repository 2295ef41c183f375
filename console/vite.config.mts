import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const outDir = fileURLToPath(new URL('../dist/console', import.meta.url));
// tsc writes the Nest module that serves the page into the same folder: only the page's own assets are
// replaced (emptyOutDir would delete the module), so old hashed files do not pile up build after build.
rmSync(`${outDir}/assets`, { recursive: true, force: true });

/** The operator's console: preact through Oxc's JSX transform, every file from this origin. */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/console/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir,
    emptyOutDir: false,
    // Inlined assets would be data: URLs, which `default-src 'self'` refuses.
    assetsInlineLimit: 0,
    // No modulepreload polyfill: it would be one more script, and every supported browser has modulepreload.
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
  },
});
