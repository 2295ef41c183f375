import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe } from 'vitest';
import { LocalBlobStore } from '../../src/media/local/local-blob-store';
import { blobStoreContract } from './blob-store.contract';

const dir = mkdtempSync(join(tmpdir(), 'wa-blobs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
async function filesUnder(path: string): Promise<number> {
  const entries = await readdir(path, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile()).length;
}

describe('local files blob store', () => {
  blobStoreContract(async () => {
    const root = join(dir, `media-${++n}`);
    return {
      blobs: new LocalBlobStore(root),
      abandonUpload: async () => {
        await mkdir(join(root, 'uploads'), { recursive: true });
        await writeFile(join(root, 'uploads', `abandoned-${Math.random()}.part`), 'half an upload');
      },
      uploadsLeft: () => filesUnder(join(root, 'uploads')),
      blobsKept: () => filesUnder(join(root, 'blobs')),
      close: async () => undefined,
    };
  });
});
