import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkSignature } from '../../src/media-serve/media-link';
import { InboundService } from '../../src/messaging/inbound.service';
import { TestApp, TEST_API_KEY, startTestApp } from '../support/app';
import { eventually } from '../support/eventually';
import { sampleFile } from '../support/media-files';

const ACCOUNT = 'serve1';
const SECRET = 'media-serve-test-secret-0123456789abcdef';
const PUBLIC_URL = 'https://wa.example.com';

type Answer = { status: number; body: Buffer; headers: Record<string, unknown> };

describe('media served: the keyed route and signed links', () => {
  let t: TestApp;
  const image = sampleFile('image', 5000);
  const pdf = sampleFile('document', 3000);
  const sent: Record<'image' | 'pdf', { threadId: string; messageId: string }> = {} as never;

  beforeAll(async () => {
    t = await startTestApp({ SEND_MIN_INTERVAL_MS: '0', MEDIA_LINK_SECRET: SECRET, PUBLIC_URL });
    expect((await t.request('POST', '/api/whatsapp/accounts', { body: { accountId: ACCOUNT } })).status).toBe(201);
    await eventually(() => t.request('GET', `/api/whatsapp/accounts/${ACCOUNT}`), (r) => r.body.status === 'connected');
    const send = (type: string, bytes: Buffer, mimetype: string, fileName?: string) =>
      t.request('POST', '/api/whatsapp/send-media', { body: { accountId: ACCOUNT, to: '40712345678', type, fileName, media: { base64: bytes.toString('base64'), mimetype } } });
    sent.image = (await send('image', image, 'image/jpeg')).body;
    sent.pdf = (await send('document', pdf, 'application/pdf', 'facture été.pdf')).body;
  });
  afterAll(() => t.close());

  async function get(url: string, headers: Record<string, string> = {}, key: string | null = TEST_API_KEY): Promise<Answer> {
    const response = await t.app.inject({ method: 'GET', url, headers: { ...(key ? { 'x-api-key': key } : {}), ...headers } });
    return { status: response.statusCode, body: response.rawPayload, headers: response.headers };
  }
  const mediaUrl = (m: { threadId: string; messageId: string }) => `/api/whatsapp/threads/${encodeURIComponent(m.threadId)}/messages/${m.messageId}/media`;
  const messageUrl = (m: { threadId: string; messageId: string }) => `/api/whatsapp/threads/${encodeURIComponent(m.threadId)}/messages/${m.messageId}`;
  /** The signed link a message's answer carries, as a path on this app (PUBLIC_URL is the origin clients use). */
  async function linkOf(m: { threadId: string; messageId: string }): Promise<string> {
    const url = (await t.request('GET', messageUrl(m))).body.media.url as string;
    expect(url.startsWith(`${PUBLIC_URL}/media/`)).toBe(true);
    return url.slice(PUBLIC_URL.length);
  }
  const expectMediaHeaders = (answer: Answer) => expect(answer.headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'content-security-policy': 'sandbox' });

  it('streams a stored image whole, shown in place, with the media headers', async () => {
    const answer = await get(mediaUrl(sent.image));
    expect(answer.status).toBe(200);
    expect(answer.body.equals(image)).toBe(true);
    expect(answer.headers).toMatchObject({ 'content-type': 'image/jpeg', 'content-length': String(image.length), 'accept-ranges': 'bytes' });
    expect(String(answer.headers['content-disposition'])).toMatch(/^inline; /);
    expectMediaHeaders(answer);
  });

  it('sends a document as an attachment under its name', async () => {
    const answer = await get(mediaUrl(sent.pdf));
    expect(answer.body.equals(pdf)).toBe(true);
    expect(answer.headers['content-disposition']).toBe(`attachment; filename="facture _t_.pdf"; filename*=UTF-8''${encodeURIComponent('facture été.pdf')}`);
    expectMediaHeaders(answer);
  });

  it.each([
    ['bytes=10-19', 10, 19],
    ['bytes=4990-', 4990, 4999],
    ['bytes=-7', 4993, 4999],
    ['bytes=4995-9999', 4995, 4999],
  ])('answers Range %s with 206 and that part', async (range, start, end) => {
    const answer = await get(mediaUrl(sent.image), { range });
    expect(answer.status).toBe(206);
    expect(answer.headers).toMatchObject({ 'content-range': `bytes ${start}-${end}/5000`, 'content-length': String(end - start + 1) });
    expect(answer.body.equals(image.subarray(start, end + 1))).toBe(true);
    expectMediaHeaders(answer);
  });

  it.each(['bytes=5000-', 'bytes=0-1,4-5', 'bytes=9-3'])('answers Range %s with 416 and the size', async (range) => {
    const answer = await get(mediaUrl(sent.image), { range });
    expect(answer.status).toBe(416);
    expect(answer.headers['content-range']).toBe('bytes */5000');
    expect(JSON.parse(answer.body.toString()).message).toMatch(/^range: /);
    expectMediaHeaders(answer);
  });

  it('answers 404 for a media message whose file is not stored yet, on the route and through its link', async () => {
    // An inbound image as WhatsApp announces it: the download comes later.
    await t.app.get(InboundService).store(ACCOUNT, {
      chatJid: '40712345678@s.whatsapp.net', chatAltJid: null, fromMe: false, waMessageId: 'INBOUND-IMAGE-1', timestamp: Date.now(), type: 'image', text: null,
      media: { mimetype: 'image/jpeg', fileName: null, size: 1234, sha256: 'ab'.repeat(32), caption: null, stored: false },
      mediaSource: null, content: null, participant: null, upsertType: 'notify',
    });
    const thread = await t.request('GET', `/api/whatsapp/threads/${encodeURIComponent(sent.image.threadId)}/messages`);
    const inbound = thread.body.items.find((m: { waMessageId: string }) => m.waMessageId === 'INBOUND-IMAGE-1');
    const keyed = await get(mediaUrl(inbound));
    expect(keyed.status).toBe(404);
    expectMediaHeaders(keyed);
    const linked = await get(await linkOf(inbound), {}, null);
    expect(linked.status).toBe(404);
    expect(JSON.parse(linked.body.toString()).message).toMatch(/has no stored media/);
    expect((await get(mediaUrl({ ...sent.image, messageId: 'no-such-message' }))).status).toBe(404);
  });

  it('asks the keyed route for a key (401), with the media headers still on', async () => {
    const answer = await get(mediaUrl(sent.image), {}, null);
    expect(answer.status).toBe(401);
    expectMediaHeaders(answer);
  });

  it("serves a message answer's signed link without a key, Range included", async () => {
    const link = await linkOf(sent.image);
    const whole = await get(link, {}, null);
    expect(whole.status).toBe(200);
    expect(whole.body.equals(image)).toBe(true);
    expectMediaHeaders(whole);
    const part = await get(link, { range: 'bytes=0-3' }, null);
    expect([part.status, part.headers['content-range']]).toEqual([206, 'bytes 0-3/5000']);
    expect(part.body.equals(image.subarray(0, 4))).toBe(true);
  });

  it('mints a fresh link each time it serves the message, and stores none', async () => {
    const link = await linkOf(sent.pdf);
    const stored = t.db().prepare('SELECT media FROM messages WHERE message_id = ?').get(sent.pdf.messageId) as { media: string };
    expect(stored.media).not.toContain('url');
    expect(JSON.parse(stored.media)).not.toHaveProperty('url');
    expect(link).toMatch(/^\/media\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\?exp=\d+&sig=[A-Za-z0-9_-]+$/);
  });

  it('refuses a tampered link with 403: another message, a later expiry, a changed signature', async () => {
    const link = new URL(await linkOf(sent.image), PUBLIC_URL);
    const other = new URL(await linkOf(sent.pdf), PUBLIC_URL);
    const ref = (url: URL) => url.pathname.slice('/media/'.length);
    const exp = Number(link.searchParams.get('exp'));
    const sig = link.searchParams.get('sig')!;
    for (const tampered of [
      `/media/${ref(other)}?exp=${exp}&sig=${sig}`,
      `/media/${ref(link)}?exp=${exp + 86_400}&sig=${sig}`,
      `/media/${ref(link)}?exp=${exp}&sig=${sig.slice(0, -2)}${sig.endsWith('AA') ? 'BB' : 'AA'}`,
      `/media/${ref(link)}?exp=${exp}`,
    ]) {
      const answer = await get(tampered, {}, null);
      expect(answer.status, tampered).toBe(403);
      expect(JSON.parse(answer.body.toString()).message).toMatch(/^sig: the link is not one this service signed/);
      expectMediaHeaders(answer);
    }
  });

  it('refuses an expired link with 403, however well signed', async () => {
    const ref = new URL(await linkOf(sent.image), PUBLIC_URL).pathname.slice('/media/'.length);
    const exp = Math.floor(Date.now() / 1000) - 1;
    const answer = await get(`/media/${ref}?exp=${exp}&sig=${linkSignature(SECRET, ref, exp)}`, {}, null);
    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.body.toString()).message).toMatch(/^sig: the link expired at /);
  });
});

describe('secrets left unset (sqlite): the API key and the link secret', () => {
  it('are generated beside the database (0600) and kept: a link minted before a restart still opens', async () => {
    // Unset, not empty (an empty API_KEYS is refused): the test app's own key is taken out.
    const env = { SEND_MIN_INTERVAL_MS: '0', API_KEYS: undefined as unknown as string };
    let t = await startTestApp(env);
    const dir = t.dir;
    try {
      const key = readFileSync(join(dir, 'api-key'), 'utf8').trim();
      const asKey = (method: string, url: string, body?: unknown) => t.request(method, url, { body, headers: { 'x-api-key': key } });
      expect((await asKey('POST', '/api/whatsapp/accounts', { accountId: 'keep1' })).status).toBe(201);
      const bytes = sampleFile('sticker', 2000);
      const sent = await asKey('POST', '/api/whatsapp/send-media', { accountId: 'keep1', to: '40712345678', type: 'sticker', media: { base64: bytes.toString('base64'), mimetype: 'image/webp' } });
      const message = await asKey('GET', `/api/whatsapp/threads/${encodeURIComponent(sent.body.threadId)}/messages/${sent.body.messageId}`);
      const link = new URL(message.body.media.url);
      for (const name of ['api-key', 'media-link-secret']) expect(statSync(join(dir, name)).mode & 0o777, name).toBe(0o600);
      await t.app.close();
      t = await startTestApp(env, dir);
      expect(readFileSync(join(dir, 'api-key'), 'utf8').trim()).toBe(key);
      const answer = await t.app.inject({ method: 'GET', url: link.pathname + link.search });
      expect(answer.statusCode).toBe(200);
      expect(answer.rawPayload.equals(bytes)).toBe(true);
    } finally {
      await t.close();
    }
  });
});
