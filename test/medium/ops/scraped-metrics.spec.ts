import { describe, expect, it } from 'vitest';
import { MetricsRecorder } from '../../../src/metrics/metrics-recorder';
import { FakeClock } from '../../support/fake-clock';
import { parseExposition, valueOf } from './support/prometheus';

const TEN_SECONDS = 10_000;

/** What a feature registers to be read at scrape time (the store's counts). */
describe('scrape-time metrics', () => {
  const scrape = async (metrics: MetricsRecorder) => parseExposition(await metrics.registry.metrics());

  it('leave a gauge empty for the scrape whose store does not answer, and show it again once it does', async () => {
    const clock = new FakeClock();
    const metrics = new MetricsRecorder(clock);
    let store: () => Promise<Record<string, number>> = async () => ({ queued: 2, processing: 1 });
    metrics.scrapedGauge({ name: 'test_items', help: 'items by status', label: 'status', read: () => store() });
    metrics.sendRequest('accepted');

    expect(valueOf(await scrape(metrics), 'test_items', { status: 'queued' })).toBe(2);
    store = () => Promise.reject(new Error('the store does not answer'));
    clock.advance(TEN_SECONDS);
    const during = await scrape(metrics);
    expect([...during.keys()].filter((series) => series.startsWith('test_items'))).toEqual([]);
    expect(valueOf(during, 'whatsapp_send_requests_total', { outcome: 'accepted' })).toBe(1);
    store = async () => ({ queued: 0, processing: 3 });
    clock.advance(TEN_SECONDS);
    const after = await scrape(metrics);
    expect([valueOf(after, 'test_items', { status: 'queued' }), valueOf(after, 'test_items', { status: 'processing' })]).toEqual([0, 3]);
    expect(after.has('test_items{status="queued"}')).toBe(true);
  });

  it('cost one store read per family per 10 s, however many scrapes come, one after another or at once', async () => {
    const clock = new FakeClock();
    const metrics = new MetricsRecorder(clock);
    const reads = { items: 0, accounts: 0 };
    let queued = 5;
    metrics.scrapedGauge({ name: 'test_items', help: 'items', label: 'status', read: async () => (reads.items++, { queued }) });
    metrics.scrapedGauge({ name: 'test_accounts', help: 'accounts', label: 'status', read: async () => (reads.accounts++, { connected: 3 }) });

    for (let i = 0; i < 50; i++) await scrape(metrics);
    await Promise.all(Array.from({ length: 10 }, () => scrape(metrics)));
    expect(reads).toEqual({ items: 1, accounts: 1 });

    queued = 7;
    clock.advance(TEN_SECONDS - 1);
    expect(valueOf(await scrape(metrics), 'test_items', { status: 'queued' })).toBe(5);
    clock.advance(1);
    expect(valueOf(await scrape(metrics), 'test_items', { status: 'queued' })).toBe(7);
    expect(reads).toEqual({ items: 2, accounts: 2 });
  });

  it('a failed read is shared too: a store that does not answer is not asked again within the 10 s', async () => {
    const clock = new FakeClock();
    const metrics = new MetricsRecorder(clock);
    let reads = 0;
    metrics.scrapedGauge({ name: 'test_items', help: 'items', label: 'status', read: () => (reads++, Promise.reject(new Error('down'))) });
    for (let i = 0; i < 20; i++) await scrape(metrics);
    expect(reads).toBe(1);
  });
});
