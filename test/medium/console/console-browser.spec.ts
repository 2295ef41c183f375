import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../support/eventually';
import { ServerProcess, startServer } from '../../support/server-process';

const CHROMIUM = '/usr/bin/chromium';
const KEY = 'console-key-0123456789abcdef';
/** Headless and quiet: no GPU, no QUIC, no first-run, background, update or sync traffic. */
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
/** Each would set window.__pwned if the page ever parsed it as HTML. */
const HOSTILE_NAME = '<img src=x onerror="window.__pwned=1">';
const HOSTILE_TEXT = '<script>window.__pwned=2</script><b onmouseover="window.__pwned=3">bold?</b>';
const HOSTILE_FILE = '<img src=y onerror="window.__pwned=4">.pdf';
const ACCOUNTS = ['desk1', 'desk2', 'desk3'];
const BENCH = process.env.CONSOLE_BENCH === '1';
const BENCH_ACCOUNTS = 300;
const shot = (name: string) => resolve(`test-artifacts/console-${name}.png`);

/** A webhook receiver on 127.0.0.1: the ids of the events it was sent. */
async function startReceiver(): Promise<{ server: Server; port: number; received: IncomingHttpHeaders[] }> {
  const received: IncomingHttpHeaders[] = [];
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      received.push(request.headers);
      response.writeHead(204).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, port: (server.address() as { port: number }).port, received };
}

describe('the operator console in headless Chromium', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wa-console-'));
  let server: ServerProcess | undefined;
  let browser: BrowserContext | undefined;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let page: Page;
  const requested: string[] = [];
  const api = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${server!.url}${path}`, {
      method,
      headers: { 'x-api-key': KEY, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as any };
  };
  const row = (accountId: string) => page.locator(`[data-account-id="${accountId}"]`);

  beforeAll(async () => {
    // Not a skip: a CI without the browser must fail and say why (.ci/run installs it).
    if (!existsSync(CHROMIUM)) return;
    receiver = await startReceiver();
    server = await startServer({
      WA_PROVIDER: 'simulator',
      API_KEYS: KEY,
      SQLITE_PATH: join(dir, 'whatsapp.db'),
      WA_SIMULATOR_REQUIRE_SCAN: 'true',
      // Every send fails on its one attempt: the failed sends panel has something to show.
      WA_SIMULATOR_FAILURE_RATE: '1',
      OUTBOX_MAX_ATTEMPTS: '1',
      OUTBOX_POLL_MS: '100',
      SEND_MIN_INTERVAL_MS: '0',
      EVENT_STREAM_POLL_MS: '50',
      OUTBOUND_ALLOW_HOSTS: `127.0.0.1:${receiver.port}`,
      // The bench's 300 accounts all open a socket on this one instance (100 by default).
      ACCOUNT_CAPACITY: '400',
    });
    browser = await chromium.launchPersistentContext(join(dir, 'chromium-profile'), { executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS, viewport: { width: 1440, height: 1000 } });
    page = browser.pages()[0] ?? (await browser.newPage());
    page.setDefaultTimeout(10_000);
    browser.on('request', (request) => requested.push(request.url()));
    mkdirSync(resolve('test-artifacts'), { recursive: true });
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    receiver?.server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('signs in with the key typed in the field labelled API key, kept in sessionStorage only', async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium is missing at ${CHROMIUM}: install it with "apt-get update && apt-get install -y chromium"`);
    const answer = await page.goto(`${server!.url}/console`);
    expect(answer?.headers()['content-security-policy']).toBe("default-src 'self'");
    await page.getByLabel('API key').fill(KEY);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Accounts', exact: true }).waitFor();
    await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
    expect(await page.evaluate('({ session: Object.values(sessionStorage), local: localStorage.length, cookie: document.cookie })')).toEqual({ session: [KEY], local: 0, cookie: '' });
    // Set once: still there at the end means the page was never reloaded. (Page-side code reads the DOM
    // through globalThis: the backend's type-check has no DOM library, and the CSP refuses string eval.)
    await page.evaluate('window.__sameLoad = true');
  }, 20_000);

  it('creates three accounts and shows a QR for each, then one turns connected on a scan without a reload', async () => {
    for (const [index, accountId] of ACCOUNTS.entries()) {
      await page.getByLabel('New account id').fill(accountId);
      await page.getByLabel('Name', { exact: true }).fill(index === 0 ? HOSTILE_NAME : `Desk ${index + 1}`);
      await page.getByRole('button', { name: 'Create account' }).click();
      await row(accountId).waitFor();
    }
    for (const accountId of ACCOUNTS) await page.getByRole('img', { name: `QR code for ${accountId}` }).waitFor();
    expect(await page.getByRole('img', { name: /^QR code for / }).count()).toBe(3);
    await page.screenshot({ path: shot('qr'), fullPage: true });

    expect((await api('POST', `/api/whatsapp/simulator/accounts/${ACCOUNTS[0]}/scan`)).status).toBe(202);
    await row(ACCOUNTS[0]).locator('.status', { hasText: 'connected' }).waitFor();
    await page.getByRole('img', { name: `QR code for ${ACCOUNTS[0]}` }).waitFor({ state: 'detached' });
    expect(await row(ACCOUNTS[0]).textContent()).toContain(HOSTILE_NAME);
    expect(await page.evaluate('window.__sameLoad')).toBe(true);
  }, 20_000);

  it('shows hostile names, texts and file names as text, never running them', async () => {
    const inbound = await api('POST', `/api/whatsapp/simulator/accounts/${ACCOUNTS[0]}/inbound`, { from: '40712345678', text: HOSTILE_TEXT });
    expect(inbound.status).toBe(202);
    const pdf = Buffer.from('%PDF-1.4\n%hostile\n').toString('base64');
    const mediaSend = await api('POST', '/api/whatsapp/send-media', { accountId: ACCOUNTS[0], to: '40712345678', type: 'document', fileName: HOSTILE_FILE, caption: HOSTILE_TEXT, media: { base64: pdf, mimetype: 'application/pdf' } });
    expect(mediaSend.status).toBe(202);
    await row(ACCOUNTS[0]).getByRole('button', { name: ACCOUNTS[0] }).click();
    await page.getByRole('button', { name: '40712345678@s.whatsapp.net' }).click();
    await page.locator('.messages .message.outbound .media').getByText(HOSTILE_FILE).waitFor();
    await page.locator('.messages .message.inbound .text').getByText(HOSTILE_TEXT, { exact: true }).waitFor();
    await page.screenshot({ path: shot('thread'), fullPage: true });
    expect(await page.evaluate('window.__pwned')).toBeUndefined();
    expect(await page.locator('img, script:not([src]), b').count()).toBe(0);
  }, 20_000);

  it('shows a failing send as failed with its reason, and Retry queues it again', async () => {
    const accepted = await api('POST', '/api/whatsapp/send-message', { accountId: ACCOUNTS[0], to: '40712345678', message: 'will fail' });
    expect(accepted.status).toBe(202);
    const failed = page.locator(`.failed-sends [data-request-id="${accepted.body.requestId}"]`);
    await failed.waitFor();
    expect(await failed.textContent()).toMatch(/failed: maxAttempts/);
    await page.locator(`.messages [data-message-id="${accepted.body.messageId}"]`).getByText('failed: maxAttempts').waitFor();
    await page.screenshot({ path: shot('failed'), fullPage: true });

    // Held still (a replaced connection is not reopened by itself), so the retried send stays queued.
    expect((await api('POST', `/api/whatsapp/simulator/accounts/${ACCOUNTS[0]}/disconnect`, { reason: 'connectionReplaced' })).status).toBe(202);
    await row(ACCOUNTS[0]).locator('.status', { hasText: 'disconnected' }).waitFor();
    await failed.getByRole('button', { name: 'Retry' }).click();
    await page.getByRole('status').filter({ hasText: `${accepted.body.requestId}: Retried: queued` }).waitFor();
    await failed.waitFor({ state: 'detached' });
    const url = `/api/whatsapp/threads/${encodeURIComponent(accepted.body.threadId)}/messages/${accepted.body.messageId}`;
    expect((await api('GET', url)).body.status).toBe('queued');
  }, 20_000);

  it('replays events from the webhook panel to a local receiver', async () => {
    const events = await api('GET', '/api/whatsapp/events?limit=1');
    const firstEventId = events.body.items[0].data.id as string;
    const created = await api('POST', '/api/whatsapp/webhooks', { url: `http://127.0.0.1:${receiver.port}/hook`, description: HOSTILE_NAME });
    expect(created.status).toBe(201);
    await page.getByRole('button', { name: 'Refresh' }).click();
    const endpoint = page.locator(`[data-webhook-id="${created.body.webhookId}"]`);
    await endpoint.getByRole('button', { name: 'Send test' }).click();
    await endpoint.getByText(/Test delivered: 204/).waitFor();
    await endpoint.getByRole('button', { name: 'Replay' }).click();
    await endpoint.getByText(/Replay rpl_\S+: \d+ event\(s\) queued/).waitFor();
    // An event from before the endpoint existed arrives, with its own id.
    await eventually(() => receiver.received, (received) => received.some((headers) => headers['webhook-id'] === firstEventId));
    expect(receiver.received.map((headers) => headers['webhook-id'])).toContain(firstEventId);
    await endpoint.locator('.deliveries td', { hasText: 'delivered' }).first().waitFor();
    await page.screenshot({ path: shot('webhooks'), fullPage: true });
  }, 20_000);

  it('sent no request anywhere but the server on 127.0.0.1, and was never reloaded', async () => {
    expect(requested.length).toBeGreaterThan(5);
    expect(requested.filter((url) => new URL(url).hostname !== '127.0.0.1')).toEqual([]);
    expect(await page.evaluate('window.__sameLoad')).toBe(true);
    expect(await page.evaluate('window.__pwned')).toBeUndefined();
  });

  it.runIf(BENCH)(`bench: first load and a live update with ${BENCH_ACCOUNTS} accounts (printed, not asserted)`, async () => {
    const before = (await api('GET', '/api/whatsapp/accounts?limit=200')).body.items.length as number;
    const benchIds = Array.from({ length: BENCH_ACCOUNTS }, (_, i) => `bench${String(i).padStart(3, '0')}`);
    const inBatches = async (work: (accountId: string) => Promise<unknown>) => {
      for (let start = 0; start < benchIds.length; start += 20) await Promise.all(benchIds.slice(start, start + 20).map(work));
    };
    await inBatches((accountId) => api('POST', '/api/whatsapp/accounts', { accountId }));
    const total = BENCH_ACCOUNTS + before;
    /** A fresh tab from sign-in: when every row is there, and when every row has its counts. */
    const load = async () => {
      const tab = await browser!.newPage();
      const started = performance.now();
      await tab.goto(`${server!.url}/console`);
      await tab.getByLabel('API key').fill(KEY);
      await tab.getByRole('button', { name: 'Sign in' }).click();
      await tab.waitForFunction((n) => (globalThis as any).document.querySelectorAll('[data-account-id]').length >= n, total, { timeout: 30_000 });
      const rows = performance.now() - started;
      await tab.waitForFunction(() => ![...(globalThis as any).document.querySelectorAll('.counts')].some((cell) => cell.textContent === '…'), undefined, { timeout: 150_000 });
      return { tab, started, rows, counts: performance.now() - started };
    };

    const waiting = await load();
    await waiting.tab.waitForFunction((n) => (globalThis as any).document.querySelectorAll('svg.qr').length >= n, BENCH_ACCOUNTS, { timeout: 150_000 });
    const qrs = performance.now() - waiting.started;
    await waiting.tab.screenshot({ path: shot('bench-qr') });
    await waiting.tab.close();

    await inBatches((accountId) => api('POST', `/api/whatsapp/simulator/accounts/${accountId}/scan`));
    await eventually(() => api('GET', '/api/whatsapp/accounts/bench299'), (r) => r.body.status === 'connected');
    const linked = await load();
    await linked.tab.getByRole('status').filter({ hasText: 'Live' }).waitFor();
    const asked = performance.now();
    expect((await api('POST', '/api/whatsapp/simulator/accounts/bench150/disconnect', { reason: 'connectionReplaced' })).status).toBe(202);
    await linked.tab.locator('[data-account-id="bench150"] .status', { hasText: 'disconnected' }).waitFor();
    const update = performance.now() - asked;
    await linked.tab.screenshot({ path: shot('bench') });
    await linked.tab.close();
    const ms = (value: number) => `${value.toFixed(0)} ms`;
    console.log(
      `console bench, ${total} accounts. All waiting for a QR: every row ${ms(waiting.rows)} after sign-in, every count ${ms(waiting.counts)}, every QR drawn ${ms(qrs)}. ` +
        `All connected: every row ${ms(linked.rows)}, every count ${ms(linked.counts)}; a disconnect to its row updated ${ms(update)}`,
    );
  }, 400_000);
});
