import { mkdtempSync, readdirSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MEDIA_TYPES, MediaType } from '../../src/media/media';
import { TestApp, TEST_API_KEY, startTestApp } from '../support/app';
import { eventually } from '../support/eventually';
import { FILE_NAMES, FormPart, multipartBody, sampleFile, sha256Of } from '../support/media-files';
import { readSimulatorLog } from '../support/simulator-log';

const ACCOUNT = 'media1';
const TO = '40712345678';
const SEND_MEDIA = '/api/whatsapp/send-media';

/** Every file under a directory, relative, so "nothing was left" compares two listings. */
function filesUnder(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name))
      .sort();
  } catch {
    return [];
  }
}

describe('POST /api/whatsapp/send-media, through HTTP to the simulator', () => {
  let t: TestApp;
  let files: Server;
  /** What the test's file server answers, by path. */
  const served = new Map<string, { bytes: Buffer; mimetype: string }>();
  const logPath = () => join(t.dir, 'simulator.log');
  const mediaPath = () => join(t.dir, 'media');

  beforeAll(async () => {
    files = createServer((request, response) => {
      const file = served.get(request.url ?? '');
      if (!file) return void response.writeHead(404).end();
      response.writeHead(200, { 'content-type': file.mimetype, 'content-length': file.bytes.length }).end(file.bytes);
    });
    await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
    const port = (files.address() as AddressInfo).port;
    const dir = mkdtempSync(join(tmpdir(), 'wa-media-'));
    t = await startTestApp({ SEND_MIN_INTERVAL_MS: '0', OUTBOX_POLL_MS: '50', OUTBOUND_ALLOW_HOSTS: `127.0.0.1:${port}`, MEDIA_MAX_MB: '1', WA_SIMULATOR_LOG: join(dir, 'simulator.log') }, dir);
    expect((await t.request('POST', '/api/whatsapp/accounts', { body: { accountId: ACCOUNT } })).status).toBe(201);
    await eventually(() => t.request('GET', `/api/whatsapp/accounts/${ACCOUNT}`), (r) => r.body.status === 'connected');
  });
  afterAll(async () => {
    await t.close();
    await new Promise((resolve) => files.close(resolve));
  });

  const fileUrl = (path: string) => `http://127.0.0.1:${(files.address() as AddressInfo).port}${path}`;

  async function sendForm(parts: FormPart[], headers: Record<string, string> = {}) {
    const { payload, contentType } = multipartBody(parts);
    const response = await t.app.inject({ method: 'POST', url: SEND_MEDIA, payload, headers: { 'x-api-key': TEST_API_KEY, 'content-type': contentType, ...headers } });
    return { status: response.statusCode, body: response.json() };
  }

  const fieldsOf = (type: MediaType, extra: Record<string, string> = {}): FormPart[] =>
    Object.entries({ accountId: ACCOUNT, to: TO, type, ...extra }).map(([name, value]) => ({ name, value }));
  const filePart = (type: MediaType, bytes: Buffer, mimetype = 'application/octet-stream'): FormPart => ({ name: 'file', file: bytes, fileName: FILE_NAMES[type], mimetype });
  const sendJson = (body: Record<string, unknown>) => t.request('POST', SEND_MEDIA, { body: { accountId: ACCOUNT, to: TO, ...body } });

  const messageUrl = (answer: { threadId: string; messageId: string }) => `/api/whatsapp/threads/${encodeURIComponent(answer.threadId)}/messages/${answer.messageId}`;
  const countRows = (table: string) => (t.db().prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;

  /** The simulator's line for a send once it went out: the bytes WhatsApp was given. */
  async function sentLine(answer: { threadId: string; messageId: string; waMessageId: string }) {
    await eventually(() => t.request('GET', messageUrl(answer)), (r) => r.body.status === 'sent');
    const lines = readSimulatorLog(logPath()).filter((line) => line.type === 'send' && line.waMessageId === answer.waMessageId);
    expect(lines).toHaveLength(1);
    return lines[0] as Extract<(typeof lines)[number], { type: 'send' }> & { media?: { type: string; mimetype: string; size: number; sha256: string } };
  }

  it.each(MEDIA_TYPES)('sends a %s as multipart: the simulator receives the uploaded bytes', async (type) => {
    const bytes = sampleFile(type);
    const caption: Record<string, string> = ['image', 'video', 'document'].includes(type) ? { caption: `a ${type}` } : {};
    const accepted = await sendForm([...fieldsOf(type, caption), filePart(type, bytes)]);
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);
    const line = await sentLine(accepted.body);
    expect(line.media).toMatchObject({ type, size: bytes.length, sha256: sha256Of(bytes) });
    const message = await t.request('GET', messageUrl(accepted.body));
    expect(message.body).toMatchObject({ type, media: { sha256: sha256Of(bytes), size: bytes.length, stored: true, fileName: FILE_NAMES[type] } });
  });

  it('sends voice as Opus in Ogg and a sticker as WebP, whatever mimetype the client gave', async () => {
    const voice = await sendForm([...fieldsOf('voice'), filePart('voice', sampleFile('voice'), 'audio/mpeg')]);
    const sticker = await sendForm([...fieldsOf('sticker'), filePart('sticker', sampleFile('sticker'), 'image/png')]);
    expect((await sentLine(voice.body)).media?.mimetype).toBe('audio/ogg; codecs=opus');
    expect((await sentLine(sticker.body)).media?.mimetype).toBe('image/webp');
  });

  it('sends base64 JSON: the simulator receives the decoded bytes', async () => {
    const bytes = sampleFile('image');
    const accepted = await sendJson({ type: 'image', media: { base64: bytes.toString('base64'), mimetype: 'image/jpeg' } });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);
    expect((await sentLine(accepted.body)).media).toMatchObject({ sha256: sha256Of(bytes), size: bytes.length });
  });

  it('fetches a {url} at accept: the simulator receives the served bytes, named by the URL', async () => {
    const bytes = sampleFile('document', 200_000);
    served.set('/files/statement.pdf', { bytes, mimetype: 'application/pdf' });
    const accepted = await sendJson({ type: 'document', media: { url: fileUrl('/files/statement.pdf') } });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);
    served.delete('/files/statement.pdf');
    expect((await sentLine(accepted.body)).media).toMatchObject({ sha256: sha256Of(bytes), mimetype: 'application/pdf' });
    expect((await t.request('GET', messageUrl(accepted.body))).body.media).toMatchObject({ fileName: 'statement.pdf' });
  });

  describe('over the limit: 413 naming it, and nothing kept', () => {
    const cases: Array<[string, () => Promise<{ status: number; body: any }>, RegExp]> = [
      ['a multipart sticker', () => sendForm([...fieldsOf('sticker'), filePart('sticker', sampleFile('sticker', 600 * 1024))]), /^file: larger than the sticker limit of 0\.5 MiB/],
      ['a multipart document (MEDIA_MAX_MB=1)', () => sendForm([...fieldsOf('document'), filePart('document', sampleFile('document', 1024 * 1024 + 1))]), /^file: larger than the document limit of 1 MiB/],
      ['a {url} announcing its length', async () => {
        served.set('/files/big.webp', { bytes: sampleFile('sticker', 600 * 1024), mimetype: 'image/webp' });
        return sendJson({ type: 'sticker', media: { url: fileUrl('/files/big.webp') } });
      }, /^media\.url: larger than the sticker limit of 0\.5 MiB/],
    ];
    it.each(cases)('%s', async (_, send, message) => {
      const before = { files: filesUnder(mediaPath()), messages: countRows('messages'), outbox: countRows('outbox') };
      const refused = await send();
      expect(refused.status).toBe(413);
      expect(refused.body.message).toMatch(message);
      expect({ files: filesUnder(mediaPath()), messages: countRows('messages'), outbox: countRows('outbox') }).toEqual(before);
      expect(filesUnder(join(mediaPath(), 'uploads'))).toEqual([]);
    });
  });

  it("refuses a file whose first bytes are not its type's with 400 naming the field", async () => {
    const multipart = await sendForm([...fieldsOf('image'), filePart('image', sampleFile('document'), 'image/jpeg')]);
    expect(multipart.status).toBe(400);
    expect(multipart.body.message).toBe('file: is not a JPEG, PNG, WebP or GIF image, as type "image" says');
    const base64 = await sendJson({ type: 'voice', media: { base64: sampleFile('audio').toString('base64'), mimetype: 'audio/ogg' } });
    expect(base64.status).toBe(400);
    expect(base64.body.message).toMatch(/^media\.base64: is not Opus audio in Ogg/);
  });

  it('answers the same key and file with the same 202, and the same key with another file with 409', async () => {
    const bytes = sampleFile('image');
    const first = await sendForm([...fieldsOf('image', { requestId: 'photo-1' }), filePart('image', bytes)]);
    const again = await sendForm([...fieldsOf('image'), filePart('image', bytes)], { 'idempotency-key': 'photo-1' });
    expect([first.status, again.status]).toEqual([202, 202]);
    expect(again.body).toEqual(first.body);
    const other = await sendForm([...fieldsOf('image', { requestId: 'photo-1' }), filePart('image', sampleFile('image'))]);
    expect(other.status).toBe(409);
    expect(other.body.message).toMatch(/^requestId: /);
    await sentLine(first.body);
  });

  it('refuses a field after the file with 400 naming it, and accepts nothing', async () => {
    const messages = countRows('messages');
    const refused = await sendForm([...fieldsOf('image'), filePart('image', sampleFile('image')), { name: 'caption', value: 'late' }]);
    expect(refused.status).toBe(400);
    expect(refused.body.message).toBe('caption: came after the file; send every field before the file part');
    expect(countRows('messages')).toBe(messages);
  });
});
