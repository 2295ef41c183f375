import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestApp, startTestApp } from '../../support/app';

/** What Swagger UI's "Try it out" enforces comes from these declarations (found by the browser test). */
describe('the OpenAPI document behind /docs', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('declares the Idempotency-Key header of send-message once, and optional', async () => {
    const document = (await t.request('GET', '/docs-json')).body;
    const headers = document.paths['/api/whatsapp/send-message'].post.parameters.filter((p: { in: string }) => p.in === 'header');
    // Two entries (the @Headers() parameter, and @ApiHeader spelt with capitals) make Swagger UI refuse to Execute without a key.
    expect(headers.map((p: { name: string; required: boolean }) => ({ name: p.name.toLowerCase(), required: p.required }))).toEqual([{ name: 'idempotency-key', required: false }]);
  });

  it('shows the scope each /api operation needs (x-scope: send, read, manage or admin)', async () => {
    const document = (await t.request('GET', '/docs-json')).body;
    const operations = Object.entries(document.paths as Record<string, Record<string, { 'x-scope'?: string }>>)
      .filter(([path]) => path.startsWith('/api/'))
      .flatMap(([path, methods]) => Object.entries(methods).map(([method, operation]) => ({ operation: `${method.toUpperCase()} ${path}`, scope: operation['x-scope'] })));
    expect(operations.length).toBeGreaterThan(25);
    expect(operations.filter(({ scope }) => !['send', 'read', 'manage', 'admin'].includes(scope!))).toEqual([]);
    expect(document.paths['/api/whatsapp/send-message'].post['x-scope']).toBe('send');
    expect(document.paths['/api/whatsapp/keys'].post['x-scope']).toBe('admin');
  });

  it('declares the API-key scheme that Authorize fills', async () => {
    const document = (await t.request('GET', '/docs-json')).body;
    expect(document.components.securitySchemes['api-key']).toEqual({ type: 'apiKey', in: 'header', name: 'x-api-key' });
    expect(document.paths['/api/whatsapp/send-message'].post.security).toEqual([{ 'api-key': [] }]);
  });
});
