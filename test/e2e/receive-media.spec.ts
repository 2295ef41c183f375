import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlobStore } from '../../src/media/blob-store';
import type { MediaType } from '../../src/media/media';
import { WhatsAppSimulator } from '../../src/whatsapp/simulator/whatsapp-simulator';
import { TEST_API_KEY, TestApp, startTestApp } from '../support/app';
import { eventually } from '../support/eventually';

const ACCOUNT = 'media';
/** One small file per type, as a client would send it. */
const FILES: Array<{ type: MediaType; mimetype: string; fileName?: string }> = [
  { type: 'image', mimetype: 'image/jpeg' },
  { type: 'video', mimetype: 'video/mp4' },
  { type: 'audio', mimetype: 'audio/mpeg' },
  { type: 'voice', mimetype: 'audio/ogg; codecs=opus' },
  { type: 'document', mimetype: 'application/pdf', fileName: 'invoice.pdf' },
  { type: 'sticker', mimetype: 'image/webp' },
];

async function linked(t: TestApp, accountId: string): Promise<void> {
  await t.request('POST', '/api/whatsapp/accounts', { body: { accountId } });
  await eventually(() => t.request('GET', `/api/whatsapp/accounts/${accountId}`), (r) => r.body.status === 'connected');
}

/** A client sends `bytes` to the account through the simulator; resolves with the message as the API answers it. */
async function received(t: TestApp, from: string, file: { type: MediaType; mimetype: string; fileName?: string }, bytes: Buffer, accountId = ACCOUNT) {
  const media = { ...file, base64: bytes.toString('base64') };
  const injected = await t.request('POST', `/api/whatsapp/simulator/accounts/${accountId}/inbound`, { body: { from, text: `a ${file.type}`, media } });
  expect(injected.status).toBe(202);
  const threadId = `${accountId}__${from}@s.whatsapp.net`;
  const mine = (r: { body: { items?: Array<{ waMessageId: string }> } }) => r.body.items?.find((m) => m.waMessageId === injected.body.waMessageId);
  const page = await eventually(() => t.request('GET', `/api/whatsapp/threads/${threadId}/messages`), (r) => mine(r) !== undefined);
  return { threadId, message: mine(page) as any };
}

async function stored(t: TestApp, threadId: string, messageId: string) {
  const read = () => t.request('GET', `/api/whatsapp/threads/${threadId}/messages/${messageId}`);
  return (await eventually(read, (r) => r.body.media?.stored === true)).body;
}

/** The stored file as the API serves it, and as the blob store holds it under its hash. */
async function bytesOf(t: TestApp, threadId: string, messageId: string, sha256: string): Promise<{ served: Buffer; kept: Buffer }> {
  const answer = await t.app.inject({ method: 'GET', url: `/api/whatsapp/threads/${threadId}/messages/${messageId}/media`, headers: { 'x-api-key': TEST_API_KEY } });
  expect(answer.statusCode).toBe(200);
  const stream = await t.app.get(BlobStore).open(sha256);
  const chunks: Buffer[] = [];
  for await (const chunk of stream! as AsyncIterable<Buffer>) chunks.push(chunk);
  return { served: answer.rawPayload, kept: Buffer.concat(chunks) };
}

describe('receiving media through the simulator (MEDIA_DOWNLOAD=all)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ OUTBOX_POLL_MS: '50' });
    await linked(t, ACCOUNT);
  });
  afterAll(() => t.close());

  it.each(FILES)('stores a received $type with the bytes the client sent', async (file) => {
    const bytes = randomBytes(2048);
    const { threadId, message } = await received(t, '40711111111', file, bytes);
    expect(message).toMatchObject({ type: file.type, media: { mimetype: file.mimetype } });
    const after = await stored(t, threadId, message.messageId);
    expect(after.media).toMatchObject({ stored: true, size: bytes.length, mimetype: file.mimetype, ...(file.fileName ? { fileName: file.fileName } : {}) });
    expect(await bytesOf(t, threadId, message.messageId, after.media.sha256)).toEqual({ served: bytes, kept: bytes });
  });

  it('appends message.media_stored after message.received, carrying the stored media', async () => {
    const bytes = randomBytes(1000);
    const { threadId, message } = await received(t, '40722222222', FILES[0], bytes);
    await stored(t, threadId, message.messageId);
    const events = (await t.request('GET', `/api/whatsapp/events?accountId=${ACCOUNT}&limit=200`)).body.items as Array<{ type: string; data: any }>;
    const mine = events.filter((e) => e.data.message?.messageId === message.messageId).map((e) => ({ type: e.type, stored: e.data.message.media.stored }));
    expect(mine).toEqual([
      { type: 'message.received', stored: false },
      { type: 'message.media_stored', stored: true },
    ]);
  });

  it('retries a download that failed, until the bytes are stored', async () => {
    expect((await t.request('POST', `/api/whatsapp/simulator/accounts/${ACCOUNT}/media-fault`, { body: { status: 503 } })).status).toBe(202);
    const bytes = randomBytes(3000);
    const { threadId, message } = await received(t, '40733333333', FILES[4], bytes);
    const after = await stored(t, threadId, message.messageId);
    expect(await bytesOf(t, threadId, message.messageId, after.media.sha256)).toEqual({ served: bytes, kept: bytes });
    expect(t.logs.some((line) => line.msg === 'media download failed; retried later' && line.messageId === message.messageId)).toBe(true);
  });

  it.each([404, 410])('asks the phone to re-upload a file the servers answer %i for, then stores it', async (status) => {
    // The fault makes the file's first URL gone for good: only the re-uploaded URL gives the bytes.
    await t.request('POST', `/api/whatsapp/simulator/accounts/${ACCOUNT}/media-fault`, { body: { status } });
    const bytes = randomBytes(1500);
    const { threadId, message } = await received(t, `4074444444${status % 10}`, FILES[0], bytes);
    const after = await stored(t, threadId, message.messageId);
    expect(await bytesOf(t, threadId, message.messageId, after.media.sha256)).toEqual({ served: bytes, kept: bytes });
    expect(t.logs.some((line) => line.msg === 'media download failed; retried later' && line.messageId === message.messageId)).toBe(false);
  });

  it("fails for good a file over its type's limit: nothing stored, the message kept with stored false", async () => {
    // Past the simulator route's own check (and the body limit): as if WhatsApp delivered a sticker over 0.5 MiB.
    const bytes = randomBytes(600 * 1024);
    const { waMessageId } = t.app.get(WhatsAppSimulator).injectInbound(ACCOUNT, { from: '40766666666', media: { type: 'sticker', mimetype: 'image/webp', base64: bytes.toString('base64') } });
    const item = () => t.db().prepare('SELECT d.status, d.last_error FROM media_downloads d JOIN messages m ON m.message_id = d.message_id WHERE m.wa_message_id = ?').get(waMessageId);
    expect(await eventually(item, (row) => (row as { status?: string } | undefined)?.status === 'failed')).toMatchObject({ status: 'failed' });
    const message = t.db().prepare('SELECT media FROM messages WHERE wa_message_id = ?').get(waMessageId) as { media: string };
    expect(JSON.parse(message.media)).toMatchObject({ stored: false, size: bytes.length });
  });
});

describe('receiving media with MEDIA_DOWNLOAD=none', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ OUTBOX_POLL_MS: '50', MEDIA_DOWNLOAD: 'none' });
    await linked(t, ACCOUNT);
  });
  afterAll(() => t.close());

  it('keeps the message with its media not stored, and makes no download item', async () => {
    const { threadId, message } = await received(t, '40755555555', FILES[0], randomBytes(1000));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await t.request('GET', `/api/whatsapp/threads/${threadId}/messages/${message.messageId}`)).body.media).toMatchObject({ stored: false, size: 1000 });
    expect(t.db().prepare('SELECT COUNT(*) AS n FROM media_downloads').get()).toEqual({ n: 0 });
  });
});
