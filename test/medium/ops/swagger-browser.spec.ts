import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../support/eventually';
import { ServerProcess, startServer } from '../../support/server-process';

const CHROMIUM = '/usr/bin/chromium';
const KEY = 'browser-key-0123456789abcdef';
const ACCOUNT = 'browser1';
/** Kept after the run (gitignored): CI uploads it, a reviewer opens it. */
export const SCREENSHOT = resolve('test-artifacts/swagger-send-message.png');
/** Headless and quiet: no GPU, no QUIC, no first-run, background, update or sync traffic. */
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

describe('Swagger UI in headless Chromium: authorise, try the send endpoint, see 202, then sent', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wa-browser-'));
  let server: ServerProcess | undefined;
  let browser: BrowserContext | undefined;
  const api = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${server!.url}${path}`, {
      method,
      headers: { 'x-api-key': KEY, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as any };
  };

  beforeAll(async () => {
    // Not a skip: a CI without the browser must fail and say why (.ci/run installs it).
    if (!existsSync(CHROMIUM)) return;
    server = await startServer({ WA_PROVIDER: 'simulator', API_KEYS: KEY, SQLITE_PATH: join(dir, 'whatsapp.db'), SEND_MIN_INTERVAL_MS: '0' });
    expect((await api('POST', '/api/whatsapp/accounts', { accountId: ACCOUNT })).status).toBe(201);
    await eventually(() => api('GET', `/api/whatsapp/accounts/${ACCOUNT}`), (r) => r.body.status === 'connected');
    // A fresh profile each run (Playwright passes it as --user-data-dir).
    browser = await chromium.launchPersistentContext(join(dir, 'chromium-profile'), { executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends a message from the docs page', async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium is missing at ${CHROMIUM}: install it with "apt-get update && apt-get install -y chromium" (.ci/run does this before npm test)`);
    const page = browser!.pages()[0] ?? (await browser!.newPage());
    page.setDefaultTimeout(10_000);
    mkdirSync(resolve('test-artifacts'), { recursive: true });
    try {
      await page.goto(`${server!.url}/docs`);
      await page.locator('.swagger-ui .info .title').waitFor();

      await page.locator('.auth-wrapper button.authorize').click();
      await page.locator('.modal-ux input').fill(KEY);
      await page.locator('.modal-ux button.authorize').click();
      await page.locator('.modal-ux button.btn-done').click();

      const operation = page.locator('#operations-messages-SendController_send');
      await operation.locator('.opblock-summary').click();
      await operation.locator('button.try-out__btn').click();
      // As an operator would: a key of their own, so a second click cannot send twice.
      const requestId = `browser-${Date.now()}`;
      await operation.locator('tr[data-param-name="idempotency-key"][data-param-in="header"] input').fill(requestId);
      const body = { accountId: ACCOUNT, to: '+40 712 345 678', message: 'hello from Swagger UI in Chromium' };
      await operation.locator('textarea.body-param__text').fill(JSON.stringify(body, null, 2));
      await operation.locator('button.execute').click();

      const status = operation.locator('.live-responses-table .response .response-col_status');
      await expect.poll(() => status.textContent(), { timeout: 10_000 }).toContain('202');
      const answer = JSON.parse((await operation.locator('.live-responses-table .response-col_description pre.microlight').first().textContent()) ?? '{}');
      expect(answer).toMatchObject({ requestId, messageId: expect.any(String), threadId: `${ACCOUNT}__40712345678@s.whatsapp.net`, status: 'queued' });
      await page.screenshot({ path: SCREENSHOT, fullPage: true });

      const url = `/api/whatsapp/threads/${encodeURIComponent(answer.threadId)}/messages/${answer.messageId}`;
      const message = await eventually(() => api('GET', url), (r) => r.body.status === 'sent');
      expect(message.body).toMatchObject({ status: 'sent', text: body.message });
    } catch (error) {
      await page.screenshot({ path: SCREENSHOT.replace('.png', '.failed.png'), fullPage: true }).catch(() => undefined);
      throw error;
    }
  }, 60_000);
});
