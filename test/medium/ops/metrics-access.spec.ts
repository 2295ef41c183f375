import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountOwnership } from '../../../src/accounts/account-ownership.service';
import { AccountRepository } from '../../../src/accounts/account.repository';
import { OutboxRepository } from '../../../src/outbox/outbox.repository';
import { WebhookDeliveries } from '../../../src/webhooks/webhook-deliveries.repository';
import { TEST_API_KEY, TestApp, startTestApp } from '../../support/app';

const TOKEN = 'scrape-token-0123456789abcdef';

/** Counts the calls of one method of a provider the app resolved: the store reads a scrape makes. */
function countCalls(target: object, method: string): { calls: number } {
  const counter = { calls: 0 };
  const original = (target as Record<string, (...args: unknown[]) => unknown>)[method].bind(target);
  Object.assign(target, { [method]: (...args: unknown[]) => (counter.calls++, original(...args)) });
  return counter;
}

describe('/metrics behind METRICS_TOKEN, with store reads shared across scrapes', () => {
  let t: TestApp;
  const get = (headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url: '/metrics', headers });

  beforeAll(async () => {
    t = await startTestApp({ METRICS_TOKEN: TOKEN });
  });
  afterAll(() => t?.close());

  it('asks for the token as a bearer token; an API key does not open it', async () => {
    expect((await get()).statusCode).toBe(401);
    expect((await get()).json().message).toMatch(/METRICS_TOKEN/);
    expect((await get({ authorization: `Bearer ${TOKEN}x` })).statusCode).toBe(401);
    expect((await get({ authorization: `Bearer ${TEST_API_KEY}` })).statusCode).toBe(401);
    expect((await get({ 'x-api-key': TEST_API_KEY })).statusCode).toBe(401);
    const scraped = await get({ authorization: `Bearer ${TOKEN}` });
    expect(scraped.statusCode).toBe(200);
    expect(scraped.body).toMatch(/^whatsapp_outbox_items\{status="queued"\} \d+$/m);
  });
});

describe('/metrics without METRICS_TOKEN', () => {
  let t: TestApp;
  beforeAll(async () => {
    // The ownership round counts accounts too (each instance's share of the fleet): a long lease keeps it to
    // the first round, and that round is over before the counting starts (a slow machine may not have run
    // it by the time the app answers), so what is counted here is the scrapes' reads.
    t = await startTestApp({ ACCOUNT_LEASE_MS: '3600000' });
    const ownership = t.app.get(AccountOwnership);
    await ownership.tick();
    await ownership.tick();
  });
  afterAll(() => t?.close());

  it('answers without any key, as the health probes do; 50 scrapes in a row cost one store read per metric family', async () => {
    const reads = {
      outbox: countCalls(t.app.get(OutboxRepository), 'countOpen'),
      accounts: countCalls(t.app.get(AccountRepository), 'countByStatus'),
      // Two families read it: backlog and oldest undelivered age per endpoint.
      webhooks: countCalls(t.app.get(WebhookDeliveries), 'backlog'),
    };
    for (let i = 0; i < 50; i++) {
      const scraped = await t.app.inject({ method: 'GET', url: '/metrics' });
      expect(scraped.statusCode).toBe(200);
      expect(scraped.body).toMatch(/^whatsapp_accounts\{status="connected"\} 0$/m);
    }
    expect({ outbox: reads.outbox.calls, accounts: reads.accounts.calls, webhooks: reads.webhooks.calls }).toEqual({ outbox: 1, accounts: 1, webhooks: 2 });
  });
});
