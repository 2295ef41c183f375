import { randomUUID } from 'node:crypto';
import { App, deleteApp, initializeApp } from 'firebase-admin/app';
import { getStorage } from 'firebase-admin/storage';
import { afterAll } from 'vitest';
import { GcsBlobStore } from '../../src/media/gcs/gcs-blob-store';
import { describeOnStorageEmulator } from '../support/storage-emulator';
import { blobStoreContract } from './blob-store.contract';

const PROJECT = 'demo-media';

// The blob store contract against firebase-tools' Cloud Storage emulator, each test on a bucket of its own.
describeOnStorageEmulator('Cloud Storage blob store', PROJECT, () => {
  let app: App | undefined;
  afterAll(async () => {
    if (app) await deleteApp(app);
  });

  blobStoreContract(async () => {
    app ??= initializeApp({ projectId: PROJECT }, `blobs-${randomUUID()}`);
    const bucket = getStorage(app).bucket(`${PROJECT}-${randomUUID().slice(0, 8)}.appspot.com`);
    const count = async (prefix: string) => (await bucket.getFiles({ prefix }))[0].length;
    return {
      blobs: new GcsBlobStore(bucket),
      abandonUpload: async () => void (await bucket.file(`uploads/${randomUUID()}`).save('half an upload', { resumable: false })),
      uploadsLeft: () => count('uploads/'),
      blobsKept: () => count('blobs/'),
      close: async () => undefined,
    };
  });
});
