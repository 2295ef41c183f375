import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deleteApp, initializeApp } from 'firebase-admin/app';
import { getStorage } from 'firebase-admin/storage';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TEST_API_KEY, TestApp, startTestApp } from '../../support/app';
import { eventually } from '../../support/eventually';
import { describeOnFirestoreEmulator } from '../../support/firestore-emulator';
import { FILE_NAMES, multipartBody, sampleFile, sha256Of } from '../../support/media-files';
import { readSimulatorLog } from '../../support/simulator-log';
import { describeOnStorageEmulator } from '../../support/storage-emulator';

const PROJECT = `demo-media-${randomUUID().slice(0, 8)}`;
const ACCOUNT = 'fsmedia1';
const PUBLIC_URL = 'https://wa.example.com';

// Media on a Firestore deployment: the message in Firestore, the bytes in Cloud Storage (firebase-tools'
// emulator, MEDIA_BUCKET left to its default, the project's appspot bucket), the whole way from the
// multipart upload to the simulator's send and back out through the media route and a signed link.
describeOnFirestoreEmulator('send-media on Firestore with the bytes in Cloud Storage', (firestoreHost) => {
  describeOnStorageEmulator('on the Storage emulator', PROJECT, () => {
    let t: TestApp;
    let dir: string;
    const logPath = () => join(dir, 'simulator.log');
    const image = sampleFile('image', 300_000);
    let sent: { threadId: string; messageId: string; waMessageId: string };

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'wa-fs-media-'));
      t = await startTestApp(
        {
          STORE: 'firestore',
          FIREBASE_PROJECT_ID: PROJECT,
          FIRESTORE_EMULATOR_HOST: firestoreHost(),
          SEND_MIN_INTERVAL_MS: '0',
          OUTBOX_POLL_MS: '50',
          WA_SIMULATOR_LOG: logPath(),
          MEDIA_LINK_SECRET: 'firestore-media-test-secret-0123456789abcdef',
          PUBLIC_URL,
        },
        dir,
      );
      expect((await t.request('POST', '/api/whatsapp/accounts', { body: { accountId: ACCOUNT } })).status).toBe(201);
      await eventually(() => t.request('GET', `/api/whatsapp/accounts/${ACCOUNT}`), (r) => r.body.status === 'connected');
      const { payload, contentType } = multipartBody([
        ...Object.entries({ accountId: ACCOUNT, to: '40712345678', type: 'image', caption: 'the shop front' }).map(([name, value]) => ({ name, value })),
        { name: 'file', file: image, fileName: FILE_NAMES.image, mimetype: 'image/jpeg' },
      ]);
      const accepted = await t.app.inject({ method: 'POST', url: '/api/whatsapp/send-media', payload, headers: { 'x-api-key': TEST_API_KEY, 'content-type': contentType } });
      expect(accepted.statusCode, accepted.body).toBe(202);
      sent = accepted.json();
    });
    afterAll(() => t?.close());

    const messageUrl = () => `/api/whatsapp/threads/${encodeURIComponent(sent.threadId)}/messages/${sent.messageId}`;

    it('sends the uploaded image: the simulator is given the same bytes, once', async () => {
      await eventually(() => t.request('GET', messageUrl()), (r) => r.body.status === 'sent');
      const lines = readSimulatorLog(logPath()).filter((line) => line.type === 'send' && line.waMessageId === sent.waMessageId);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({ media: { type: 'image', mimetype: 'image/jpeg', size: image.length, sha256: sha256Of(image) } });
    });

    it('keeps the bytes in the project\'s bucket under their hash, and none on the local disk', async () => {
      const reader = initializeApp({ projectId: PROJECT }, `reader-${randomUUID()}`);
      try {
        const [bytes] = await getStorage(reader).bucket(`${PROJECT}.appspot.com`).file(`blobs/${sha256Of(image)}`).download();
        expect(bytes.equals(image)).toBe(true);
      } finally {
        await deleteApp(reader);
      }
      expect(existsSync(join(dir, 'media'))).toBe(false);
    });

    it('answers a Range on the media route with 206 and those bytes from the bucket', async () => {
      const answer = await t.app.inject({ method: 'GET', url: `${messageUrl()}/media`, headers: { 'x-api-key': TEST_API_KEY, range: 'bytes=1000-1999' } });
      expect(answer.statusCode).toBe(206);
      expect(answer.headers['content-range']).toBe(`bytes 1000-1999/${image.length}`);
      expect(answer.rawPayload.equals(image.subarray(1000, 2000))).toBe(true);
    });

    it("serves the message's signed media.url without a key", async () => {
      const url = (await t.request('GET', messageUrl())).body.media.url as string;
      expect(url.startsWith(`${PUBLIC_URL}/media/`)).toBe(true);
      const answer = await t.app.inject({ method: 'GET', url: url.slice(PUBLIC_URL.length) });
      expect(answer.statusCode).toBe(200);
      expect(answer.headers['content-type']).toBe('image/jpeg');
      expect(answer.rawPayload.equals(image)).toBe(true);
    });
  });
});
