import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually';
import { sampleFile, sha256Of } from '../support/media-files';
import { ServerProcess, startServer } from '../support/server-process';
import { readSimulatorLog } from '../support/simulator-log';

const KEY = 'media-kill-key-0123456789';

describe('a media send whose process is SIGKILLed right after the 202', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wa-media-kill-'));
  const logPath = join(dir, 'simulator.log');
  // The login waits for a scan, so nothing can send before the kill: what goes out after it is the restart's.
  const env = {
    SQLITE_PATH: join(dir, 'whatsapp.db'),
    MEDIA_PATH: join(dir, 'media'),
    API_KEYS: KEY,
    WA_PROVIDER: 'simulator',
    WA_SIMULATOR_REQUIRE_SCAN: 'true',
    WA_SIMULATOR_LOG: logPath,
    WORKER_ID: 'w1',
    SEND_MIN_INTERVAL_MS: '0',
    OUTBOX_POLL_MS: '100',
    ACCOUNT_LEASE_MS: '3000',
  };
  const servers: ServerProcess[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop('SIGKILL')));
    rmSync(dir, { recursive: true, force: true });
  });

  const call = (server: ServerProcess, method: string, path: string, body?: unknown) =>
    fetch(`${server.url}${path}`, { method, headers: { 'x-api-key': KEY, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });

  it('sends the same bytes exactly once after a restart on the same sqlite file and media path', async () => {
    const started = Date.now();
    const first = await startServer(env);
    servers.push(first);
    expect((await call(first, 'POST', '/api/whatsapp/accounts', { accountId: 'acc1' })).status).toBe(201);

    const bytes = sampleFile('document', 3 * 1024 * 1024);
    const form = new FormData();
    for (const [name, value] of Object.entries({ accountId: 'acc1', to: '40712345678', type: 'document', fileName: 'contract.pdf' })) form.append(name, value);
    form.append('file', new Blob([bytes], { type: 'application/pdf' }), 'contract.pdf');
    const accepted = await fetch(`${first.url}/api/whatsapp/send-media`, { method: 'POST', headers: { 'x-api-key': KEY }, body: form });
    expect(accepted.status).toBe(202);
    await first.stop('SIGKILL');
    const answer = (await accepted.json()) as { threadId: string; messageId: string; waMessageId: string };

    const killedAt = Date.now();
    const restarted = await startServer(env);
    const restartedAt = Date.now();
    servers.push(restarted);
    await eventually(() => call(restarted, 'POST', '/api/whatsapp/simulator/accounts/acc1/scan'), (response) => response.status === 202, 10_000);
    const messageUrl = `/api/whatsapp/threads/${encodeURIComponent(answer.threadId)}/messages/${answer.messageId}`;
    await eventually(async () => (await (await call(restarted, 'GET', messageUrl)).json()) as { status: string }, (message) => message.status === 'sent', 10_000);

    const sends = readSimulatorLog(logPath).filter((line) => line.type === 'send' && line.waMessageId === answer.waMessageId);
    expect(sends).toHaveLength(1);
    // Most of the time is two process starts (seconds each on a loaded machine); the rest is the send's own.
    console.log(`[media-kill] accepted and killed at ${killedAt - started} ms, restarted in ${restartedAt - killedAt} ms, sent ${Date.now() - restartedAt} ms later`);
    expect(sends[0]).toMatchObject({ media: { type: 'document', sha256: sha256Of(bytes), size: bytes.length } });
  }, 40_000);
});
