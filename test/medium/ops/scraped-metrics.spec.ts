import { describe, expect, it } from 'vitest';
import { MetricsRecorder } from '../../../src/metrics/metrics-recorder';
import { parseExposition, valueOf } from './support/prometheus';

/** What a feature registers to be read at scrape time (the store's counts). */
describe('scrape-time metrics', () => {
  const scrape = async (metrics: MetricsRecorder) => parseExposition(await metrics.registry.metrics());

  it('leave a gauge empty for the scrape whose store does not answer, and show it again once it does', async () => {
    const metrics = new MetricsRecorder();
    let store: () => Promise<Record<string, number>> = async () => ({ queued: 2, processing: 1 });
    metrics.scrapedGauge({ name: 'test_items', help: 'items by status', label: 'status', read: () => store() });
    metrics.sendRequest('accepted');

    expect(valueOf(await scrape(metrics), 'test_items', { status: 'queued' })).toBe(2);
    store = () => Promise.reject(new Error('the store does not answer'));
    const during = await scrape(metrics);
    expect([...during.keys()].filter((series) => series.startsWith('test_items'))).toEqual([]);
    expect(valueOf(during, 'whatsapp_send_requests_total', { outcome: 'accepted' })).toBe(1);
    store = async () => ({ queued: 0, processing: 3 });
    const after = await scrape(metrics);
    expect([valueOf(after, 'test_items', { status: 'queued' }), valueOf(after, 'test_items', { status: 'processing' })]).toEqual([0, 3]);
    expect(after.has('test_items{status="queued"}')).toBe(true);
  });
});
