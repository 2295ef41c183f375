import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestApp, startTestApp } from '../support/app';

/** The page as the test build left it in dist/console (test/support/build.global.ts runs Vite). */
describe('GET /console and its assets', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const withoutKey = (url: string) => t.request('GET', url, { headers: { 'x-api-key': '' } });

  it('serves the page without a key, under default-src self, with no inline script or style', async () => {
    const page = await withoutKey('/console');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.headers['content-security-policy']).toBe("default-src 'self'");
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    const html = String(page.body);
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
    expect(html).not.toMatch(/<style|\sstyle=/);
    expect([...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]).every((url) => url.startsWith('/console/assets/'))).toBe(true);
  });

  it('serves each asset the page names, immutable, with the same policy', async () => {
    const html = String((await withoutKey('/console')).body);
    const assets = [...html.matchAll(/(?:src|href)="\/console\/assets\/([^"]+)"/g)].map((m) => m[1]);
    expect(assets.some((name) => name.endsWith('.js'))).toBe(true);
    for (const name of assets) {
      const asset = await withoutKey(`/console/assets/${name}`);
      expect(asset.status).toBe(200);
      expect(asset.headers['content-security-policy']).toBe("default-src 'self'");
      expect(asset.headers['cache-control']).toContain('immutable');
    }
  });

  it('answers 404 for a name outside the built assets', async () => {
    for (const name of ['nope.js', '..%2Fconsole.module.js', '..%2F..%2Fmain.js', 'index.html']) expect((await withoutKey(`/console/assets/${name}`)).status).toBe(404);
  });
});
