import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Benches and child-process helpers load compiled modules by path, where the type-check cannot follow
 * them: a file moved in src/ breaks them only when they run (a bench, or CI on a clean clone). The build
 * of this test run (test/support/build.global.ts) starts from an empty dist/, so what is named must exist.
 */
const DIST = resolve('dist');
const SOURCES = ['bench', 'bench/support', 'test/support'].flatMap((dir) =>
  readdirSync(dir)
    .filter((name) => /\.(mjs|cjs|js)$/.test(name))
    .map((name) => join(dir, name)),
);
// `require('../../dist/x')` (with or without .js), and the benches' `load('x.js')` / `from('x.js')` / `path.join(dist, 'x.js')`.
const BY_RELATIVE_PATH = /require\('(\.\.\/[^']*dist\/[^']+)'\)/g;
const BY_DIST_PATH = /(?:\b(?:load|from)\(|path\.join\(dist, )'([^'.][^']*\.js)'\)/g;

function distModulesNamedIn(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [
    ...[...text.matchAll(BY_RELATIVE_PATH)].map((m) => resolve(dirname(file), m[1])),
    ...[...text.matchAll(BY_DIST_PATH)].map((m) => join(DIST, m[1])),
  ];
}

describe('compiled modules named by path', () => {
  const named = SOURCES.flatMap((file) => distModulesNamedIn(file).map((module) => ({ file, module })));

  it('are found by the scan (benches load many)', () => {
    expect(named.length).toBeGreaterThan(20);
  });

  it('each load from a clean build', () => {
    const broken = named.filter(({ module }) => {
      try {
        require(module);
        return false;
      } catch {
        return true;
      }
    });
    expect(broken.map(({ file, module }) => `${file}: ${module.slice(DIST.length + 1)}`)).toEqual([]);
  });
});
