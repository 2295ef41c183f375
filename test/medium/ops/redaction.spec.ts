import { PassThrough } from 'node:stream';
import { initAuthCreds } from '@whiskeysockets/baileys';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOG_REDACTION } from '../../../src/common/pino-logger';
import { WhatsAppSimulator } from '../../../src/whatsapp/simulator/whatsapp-simulator';
import { TEST_API_KEY, TestApp, startTestApp } from '../../support/app';
import { eventually } from '../../support/eventually';

const SECRET = 'SECRET-d41d8cd98f00b204e980';

/** What the app's pino writes for one object, with the app's redaction. */
function logged(fields: object): string {
  const lines: string[] = [];
  const stream = new PassThrough();
  stream.on('data', (chunk: Buffer) => lines.push(chunk.toString('utf8')));
  pino({ redact: LOG_REDACTION }, stream).info(fields, 'probe');
  return lines.join('');
}

describe('the redaction list, shape by shape', () => {
  const creds = initAuthCreds();
  const shapes: Array<[string, object]> = [
    ['x-api-key in request headers', { req: { headers: { 'x-api-key': SECRET } } }],
    ['a Bearer authorization header', { headers: { authorization: `Bearer ${SECRET}` } }],
    ['a config object with its keys', { config: { apiKeys: [SECRET] } }],
    ['a config object with WEBHOOK_SECRET', { config: { envWebhook: { url: 'https://hooks.example.com/in', secret: SECRET } } }],
    ['a webhook endpoint with its secrets', { endpoint: { webhookId: 'wh_1', secrets: { current: SECRET, previous: null } } }],
    ['a webhook secret on its own', { webhookId: 'wh_1', secret: SECRET }],
    ['our message text', { accountId: 'a1', text: SECRET }],
    ['a provider message', { message: { chatJid: '40711111111@s.whatsapp.net', text: SECRET } }],
    ['a send body', { body: { accountId: 'a1', to: '40711111111', message: SECRET } }],
    ['a thread summary', { thread: { threadId: 't', lastMessageText: SECRET } }],
    ['a Baileys upsert in an error log', { event: { messages: [{ key: { id: 'X' }, message: { conversation: SECRET } }] } }],
    ['Baileys creds', { creds: { ...creds, advSecretKey: SECRET } }],
    ['Baileys creds inside an error', { err: { creds: { advSecretKey: SECRET } } }],
    ['signal keys', { keys: { 'pre-key-1': { private: SECRET } } }],
    ['a key pair on its own', { signedPreKey: { keyPair: { private: SECRET } } }],
    ['a pending QR', { patch: { status: 'qr', qr: `2@ref,${SECRET},x,y` } }],
  ];

  it.each(shapes)('hides %s', (_name, fields) => {
    expect(logged(fields)).not.toContain(SECRET);
  });

  it('keeps the ids an operator traces by: account, thread, message key', () => {
    const line = JSON.parse(logged({ accountId: 'a1', threadId: 'a1__40711111111@s.whatsapp.net', key: { id: '3EB0ABC', fromMe: true } }));
    expect(line).toMatchObject({ accountId: 'a1', threadId: 'a1__40711111111@s.whatsapp.net', key: { id: '3EB0ABC' } });
  });
});

describe('logs of a debug-level run: a send, an inbound message and failing auth', () => {
  let t: TestApp;
  let raw: string;
  const sentText = 'outbound body 7f3a9c: meet at the usual place';
  const inboundText = 'inbound body 51be02: the code is 4411';
  const wrongKey = 'wrong-key-0123456789-ffffffff';
  const INBOUND_THREAD = 'logs1__40722000002@s.whatsapp.net';

  beforeAll(async () => {
    t = await startTestApp({ LOG_LEVEL: 'debug', SEND_MIN_INTERVAL_MS: '0', OUTBOX_POLL_MS: '50' });
    await t.request('POST', '/api/whatsapp/accounts', { body: { accountId: 'logs1' } });
    await eventually(() => t.request('GET', '/api/whatsapp/accounts/logs1'), (r) => r.body.status === 'connected');
    const sent = await t.request('POST', '/api/whatsapp/send-message', { body: { accountId: 'logs1', to: '40722000001', message: sentText } });
    expect(sent.status).toBe(202);
    const url = `/api/whatsapp/threads/${encodeURIComponent(sent.body.threadId)}/messages/${sent.body.messageId}`;
    await eventually(() => t.request('GET', url), (r) => r.body.status === 'sent');
    t.app.get(WhatsAppSimulator).injectInbound('logs1', { from: '40722000002', text: inboundText });
    await eventually(() => t.logs, (logs) => logs.some((line) => line.msg === 'provider message' && line.threadId === INBOUND_THREAD));
    expect((await t.request('GET', '/api/whatsapp/accounts', { headers: { 'x-api-key': wrongKey } })).status).toBe(401);
    expect((await t.request('GET', '/api/whatsapp/accounts', { headers: { 'x-api-key': '', authorization: `Bearer ${wrongKey}` } })).status).toBe(401);
    expect((await t.request('GET', '/api/whatsapp/accounts', { headers: { 'x-api-key': '', authorization: `Bearer ${TEST_API_KEY}` } })).status).toBe(200);
    raw = t.logs.map((line) => JSON.stringify(line)).join('\n');
  });
  afterAll(() => t.close());

  it('wrote at debug level, so there was something to leak', () => {
    expect(t.logs.some((line) => line.level === 20)).toBe(true);
    expect(t.logs.length).toBeGreaterThan(20);
  });

  it('holds neither the API key nor the wrong key presented', () => {
    expect(raw).not.toContain(TEST_API_KEY);
    expect(raw).not.toContain(wrongKey);
  });

  it('holds no message body, sent or received', () => {
    expect(raw).not.toContain('7f3a9c');
    expect(raw).not.toContain('51be02');
  });

  it('holds none of the session material the account stored', () => {
    const rows = t.db().prepare(`SELECT value FROM account_sessions WHERE account_id = 'logs1'`).all() as Array<{ value: string }>;
    // BufferJSON keeps each key as {"type":"Buffer","data":"<base64>"}: every such value is secret material.
    const material = rows.flatMap((row) => [...row.value.matchAll(/"data":"([A-Za-z0-9+/=]{16,})"/g)].map((match) => match[1]));
    expect(material.length).toBeGreaterThan(3);
    for (const secret of material) expect(raw).not.toContain(secret);
  });

  it('gives each request line a reqId and answers it as x-request-id', async () => {
    const requestLines = t.logs.filter((line) => line.msg === 'request completed');
    expect(requestLines.length).toBeGreaterThan(3);
    for (const line of requestLines) expect(line.reqId).toEqual(expect.stringMatching(/^[0-9a-f-]{36}$/));
    const answer = await t.request('GET', '/api/whatsapp/accounts/nope');
    expect(answer.headers['x-request-id']).toEqual(expect.stringMatching(/^[0-9a-f-]{36}$/));
    expect(t.logs.filter((line) => line.reqId === answer.headers['x-request-id']).map((line) => line.msg)).toContain('request completed');
  });

  it('logs account and thread ids as fields', () => {
    const inbound = t.logs.find((line) => line.msg === 'provider message' && line.threadId === INBOUND_THREAD);
    expect(inbound).toMatchObject({ accountId: 'logs1', threadId: INBOUND_THREAD, outcome: 'stored' });
  });
});
