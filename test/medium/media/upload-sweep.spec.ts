import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalBlobStore } from '../../../src/media/local/local-blob-store';
import { ABANDONED_UPLOAD_MS, UploadSweep } from '../../../src/media/upload-sweep.service';
import { FakeClock } from '../../support/fake-clock';

describe('the sweep of abandoned media uploads, on local files', () => {
  const root = mkdtempSync(join(tmpdir(), 'wa-sweep-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('removes uploads untouched for over an hour, and keeps newer uploads and every blob', async () => {
    const blobs = new LocalBlobStore(root);
    const kept = await blobs.put(Readable.from([Buffer.from('a finished blob')]), 1024);
    mkdirSync(join(root, 'uploads'), { recursive: true });
    writeFileSync(join(root, 'uploads', 'crashed.part'), 'half an upload');
    const clock = new FakeClock(Date.now());
    const sweep = new UploadSweep(blobs, clock);

    expect(await sweep.sweep()).toBe(0);
    clock.advance(ABANDONED_UPLOAD_MS + 1000);
    expect(await sweep.sweep()).toBe(1);
    expect(readdirSync(join(root, 'uploads'))).toEqual([]);
    expect(await blobs.stat(kept.sha256)).toBe(kept.size);
  });
});
