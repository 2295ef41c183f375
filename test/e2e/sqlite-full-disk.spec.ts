import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestApp, startTestApp } from '../support/app';
import { eventually } from '../support/eventually';

/**
 * A disk that really fills: the database on a small tmpfs (this needs the right to mount, root here; CI
 * without it reports the file skipped, never passed), later grown by a remount, as an operator frees space.
 */
const disk = mkdtempSync(join(tmpdir(), 'wa-full-disk-'));
const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', disk]).status === 0;
if (!mounted) console.warn('[sqlite full disk] DID NOT RUN: cannot mount a tmpfs here (needs root). Its test is reported as skipped.');

describe.skipIf(!mounted)('the sqlite disk full, through HTTP', () => {
  const spool = mkdtempSync(join(tmpdir(), 'wa-full-disk-spool-'));
  let t: TestApp;
  const send = (requestId: string) =>
    t.request('POST', '/api/whatsapp/send-message', { body: { accountId: 'accA', to: '40733333333', message: `filling ${requestId}` }, headers: { 'idempotency-key': requestId } });
  const rows = (requestId: string) => ({
    outbox: t.db().prepare('SELECT status FROM outbox WHERE request_id = ?').all(requestId) as Array<{ status: string }>,
    messages: (t.db().prepare('SELECT COUNT(*) AS n FROM messages WHERE text = ?').get(`filling ${requestId}`) as { n: number }).n,
  });

  beforeAll(async () => {
    // The spool elsewhere: it is what keeps provider events when the database cannot, not a second victim.
    // A directory on the disk, not its mount point, which the app's cleanup could not remove.
    const data = join(disk, 'data');
    mkdirSync(data);
    t = await startTestApp({ SEND_MIN_INTERVAL_MS: '0', SPOOL_PATH: spool }, data);
    expect((await t.request('POST', '/api/whatsapp/accounts', { body: { accountId: 'accA' } })).status).toBe(201);
    await eventually(() => t.request('GET', '/api/whatsapp/accounts/accA'), (r) => r.body.status === 'connected');
  });
  afterAll(async () => {
    await t?.close();
    spawnSync('umount', [disk]);
    rmSync(disk, { recursive: true, force: true });
    rmSync(spool, { recursive: true, force: true });
  });

  it('answers 503 naming the store once the disk is full, writes none of the refused send, and takes it once the disk has room, by itself', async () => {
    let refused: { requestId: string; answer: Awaited<ReturnType<typeof send>> } | undefined;
    for (let n = 0; n < 2_000 && !refused; n++) {
      const answer = await send(`fill-${n}`);
      if (answer.status !== 202) refused = { requestId: `fill-${n}`, answer };
    }
    expect(refused?.answer.status).toBe(503);
    expect(refused!.answer.headers['retry-after']).toBe('1');
    expect(refused!.answer.body.message).toMatch(/^store: the sqlite database is full; nothing was written/);
    expect(rows(refused!.requestId)).toEqual({ outbox: [], messages: 0 });

    expect(spawnSync('mount', ['-o', 'remount,size=64m', disk]).status).toBe(0);
    const retried = await send(refused!.requestId);
    expect(retried.status).toBe(202);
    expect(rows(refused!.requestId)).toEqual({ outbox: [expect.objectContaining({})], messages: 1 });
    // Not only accepted: the processor, whose writes failed too while the disk was full, sends it.
    expect(await eventually(() => rows(refused!.requestId).outbox[0]?.status, (status) => status === 'sent', 15_000)).toBe('sent');
  });
});
