import { describe, expect, it } from 'vitest';
import { MetricsRecorder } from '../../src/metrics/metrics-recorder';
import { ProviderEventBus } from '../../src/whatsapp/provider-event-bus';
import type { ProviderReceipt } from '../../src/whatsapp/whatsapp-provider';

const RECEIPT: ProviderReceipt = { chatJid: '40711111111@s.whatsapp.net', fromMe: true, waMessageId: '3EB0AABBCCDDEEFF001122', providerStatus: 3, errorCode: null, at: 1 };

async function failures(metrics: MetricsRecorder): Promise<string> {
  // A rejected listener's promise is counted once its rejection is seen.
  await new Promise((resolve) => setImmediate(resolve));
  return metrics.registry.getSingleMetricAsString('whatsapp_provider_event_failures_total');
}

describe('ProviderEventBus', () => {
  it('a listener that throws neither stops the listeners after it nor reaches the publisher, and is counted under its event', async () => {
    const metrics = new MetricsRecorder();
    const bus = new ProviderEventBus(metrics);
    const heard: string[] = [];
    bus.on('receipt', () => {
      throw new Error('listener bug');
    });
    bus.on('receipt', (accountId, receipt) => void heard.push(`${accountId}/${receipt.waMessageId}`));

    expect(() => bus.emit('receipt', 'acc1', RECEIPT)).not.toThrow();

    expect(heard).toEqual(['acc1/3EB0AABBCCDDEEFF001122']);
    expect(await failures(metrics)).toMatch(/^whatsapp_provider_event_failures_total\{event="receipt"\} 1$/m);
  });

  it('a listener whose promise rejects is counted, and the other listeners still hear the event', async () => {
    const metrics = new MetricsRecorder();
    const bus = new ProviderEventBus(metrics);
    const heard: string[] = [];
    bus.on('connected', async () => {
      throw new Error('store down');
    });
    bus.on('connected', (accountId) => void heard.push(accountId));

    bus.emit('connected', 'acc1');
    bus.emit('connected', 'acc2');

    expect(heard).toEqual(['acc1', 'acc2']);
    expect(await failures(metrics)).toMatch(/^whatsapp_provider_event_failures_total\{event="connected"\} 2$/m);
  });

  it('counts no failure when every listener succeeds', async () => {
    const metrics = new MetricsRecorder();
    const bus = new ProviderEventBus(metrics);
    bus.on('lidMapping', async () => undefined);
    bus.emit('lidMapping', 'acc1', { lid: '123456789012345@lid', pn: '40711111111@s.whatsapp.net' });
    expect(await failures(metrics)).not.toMatch(/event=/);
  });
});
