import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadAppConfig } from '../../../src/config/app-config';
import { SlidingWindowStore } from '../../../src/rate-limit/sliding-window.store';
import { TEST_API_KEY, TestApp, startTestApp } from '../../support/app';

const OTHER_KEY = 'other-key-0123456789abcdef';
const LIMIT = 5;

describe('rate limit per API key on /api routes', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ API_KEYS: `${TEST_API_KEY},${OTHER_KEY}`, RATE_LIMIT_PER_MINUTE: String(LIMIT) });
  });
  afterAll(() => t.close());

  it('answers 429 with Retry-After, in our error shape, once a key has used its minute, across all /api routes', async () => {
    const routes = ['/api/whatsapp/accounts', '/api/whatsapp/threads?accountId=none', '/api/whatsapp/accounts/none', '/api/whatsapp/accounts', '/api/whatsapp/accounts'];
    for (const url of routes) expect((await t.request('GET', url)).status).not.toBe(429);
    const refused = await t.request('POST', '/api/whatsapp/send-message', { body: { accountId: 'none', to: '40711111111', message: 'over the limit' } });
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual({ statusCode: 429, error: 'Too Many Requests', message: expect.stringMatching(/^x-api-key: more than 5 requests in 60 s/) });
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
  });

  it('counts the same key presented as a Bearer token against the same minute', async () => {
    const bearer = await t.request('GET', '/api/whatsapp/accounts', { headers: { 'x-api-key': '', authorization: `Bearer ${TEST_API_KEY}` } });
    expect(bearer.status).toBe(429);
  });

  it('gives another key its own minute', async () => {
    expect((await t.request('GET', '/api/whatsapp/accounts', { headers: { 'x-api-key': OTHER_KEY } })).status).toBe(200);
  });

  it('gives each account key its own minute, apart from the admin key that made it and from another account key', async () => {
    const made = async () => (await t.request('POST', '/api/whatsapp/keys', { headers: { 'x-api-key': OTHER_KEY }, body: { name: 'limited', accountIds: ['acc1'], scopes: ['read'] } })).body.key as string;
    const [first, second] = [await made(), await made()];
    const asKey = (key: string) => t.request('GET', '/api/whatsapp/accounts', { headers: { 'x-api-key': key } });
    const statuses = [];
    for (let i = 0; i < LIMIT + 1; i++) statuses.push((await asKey(first)).status);
    expect(statuses).toEqual([...Array(LIMIT).fill(200), 429]);
    expect((await asKey(second)).status).toBe(200);
  });

  it('never limits the probes, the scraper or the docs', async () => {
    for (const url of ['/health/live', '/health/ready', '/metrics', '/docs-json']) {
      for (let i = 0; i < LIMIT + 2; i++) expect((await t.request('GET', url)).status, url).toBe(200);
    }
  });

  it('keeps only hashes of keys in the limiter, never a raw key', () => {
    const buckets = t.app.get(SlidingWindowStore).buckets();
    expect(buckets.length).toBeGreaterThanOrEqual(2);
    for (const bucket of buckets) {
      expect(bucket).not.toContain(TEST_API_KEY);
      expect(bucket).not.toContain(OTHER_KEY);
      expect(bucket).toMatch(/^(key:[0-9a-f]{64}|address:.+)$/);
    }
  });
});

describe('requests without an accepted key (the limit runs before the API-key guard)', () => {
  it('count against their client address, so keys guessed at random add no bucket', async () => {
    const t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '3' });
    try {
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await t.request('GET', '/api/whatsapp/accounts', { headers: { 'x-api-key': `guess-${i}` } })).status);
      expect(statuses).toEqual([401, 401, 401, 429]);
      expect(t.app.get(SlidingWindowStore).buckets()).toEqual(['address:127.0.0.1']);
      expect((await t.request('GET', '/api/whatsapp/accounts')).status).toBe(200);
    } finally {
      await t.close();
    }
  });
});

describe('rate limit settings', () => {
  it('defaults to 6000 requests per minute per key', () => {
    expect(loadAppConfig({ API_KEYS: TEST_API_KEY }).rateLimitPerMinute).toBe(6000);
  });

  it('turns off with RATE_LIMIT_PER_MINUTE=0 (benchmarks)', async () => {
    const t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '0' });
    try {
      const statuses = await Promise.all(Array.from({ length: 50 }, () => t.request('GET', '/api/whatsapp/accounts').then((r) => r.status)));
      expect(new Set(statuses)).toEqual(new Set([200]));
    } finally {
      await t.close();
    }
  });
});

describe('the sliding minute (3 per minute here)', () => {
  afterEach(() => vi.useRealTimers());
  const at = (seconds: number) => vi.setSystemTime(Date.UTC(2026, 0, 1, 0, 0, 0) + seconds * 1000);
  const outcome = (store: SlidingWindowStore) => {
    const count = store.hit('key:k', 60_000, 3);
    return count.current > 3 ? `wait ${count.ttl / 1000}` : 'pass';
  };

  it.each([
    ['three pass, the fourth waits for the window to end', [[0, 'pass'], [1, 'pass'], [2, 'pass'], [15, 'wait 45']]],
    ['the full last window still weighs at its end: wait until a third of it has slid out', [[0, 'pass'], [0, 'pass'], [0, 'pass'], [60, 'wait 20'], [80, 'pass'], [80, 'wait 20']]],
    ['two quiet windows forget everything', [[0, 'pass'], [0, 'pass'], [0, 'pass'], [120, 'pass'], [120, 'pass'], [120, 'pass'], [121, 'wait 59']]],
  ] as Array<[string, Array<[number, string]>]>)('%s', (_name, steps) => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const store = new SlidingWindowStore(60_000);
    const seen: Array<[number, string]> = [];
    for (const [second] of steps) {
      at(second);
      seen.push([second, outcome(store)]);
    }
    store.onApplicationShutdown();
    expect(seen).toEqual(steps);
  });
});
